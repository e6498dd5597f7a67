#!/usr/bin/env python3
# Sync-wait overhead against the local run (deploy/local/run.sh): 50 POST /v1/render-jobs?sync=true, each answered
# 200 when the job succeeds; for each, the time from the terminal transition (render_jobs.updated_at, set in the
# transaction just before its commit) to the client holding the 200. Needs psql to the local run's PostgreSQL.
#   eval "$(deploy/local/run.sh | tail -1)"   # or paste the export line
#   python3 deploy/bench/sync-wait.py
import json, os, subprocess, time, urllib.request, statistics
api=os.environ['PRESSROOM_API']; tok=os.environ['PRESSROOM_TOKEN']
over=[]; total=[]; e2e=[]
for i in range(51):
    req=urllib.request.Request(api+"/v1/render-jobs?sync=true", data=json.dumps({"html":"<p>sync {{n}}</p>","payload":{"n":i}}).encode(), headers={"Authorization":"Bearer "+tok,"Content-Type":"application/json"})
    t0=time.time()
    with urllib.request.urlopen(req) as r:
        body=json.load(r); status=r.status
    t1=time.time()
    job=body["job"]
    if i==0: continue  # warm-up
    assert status==200 and job["status"]=="succeeded", (status, job["status"])
    upd=float(subprocess.check_output(["psql","-h","127.0.0.1","-p","55432","-U","postgres","-Atc","select extract(epoch from updated_at)*1000 from render_jobs where id='%s'" % job["id"]], env=dict(os.environ, PGPASSWORD="postgres")).decode().strip())
    fin=job["finishedAt"]
    over.append(t1*1000-upd); total.append((t1-t0)*1000); e2e.append(t1*1000-fin)
over.sort(); total.sort(); e2e.sort()
print("renderer's succeeded event to the 200: median %.1f ms p90 %.1f ms" % (statistics.median(e2e), e2e[int(len(e2e)*0.9)]))
print("n=%d overhead (client has the 200 minus the terminal transition's updated_at, set just before the commit): median %.1f ms p90 %.1f ms; whole request median %.0f ms" % (len(over), statistics.median(over), over[int(len(over)*0.9)], statistics.median(total)))
