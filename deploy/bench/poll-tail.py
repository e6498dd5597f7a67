#!/usr/bin/env python3
# Where a polling client's slowest jobs spent their time, against the local run (deploy/local/run.sh started with
# PRESSROOM_HTTP_RATE_LIMIT_PER_SECOND=0, so that polling every 25 ms is not refused). Two clients each create N jobs
# of the bench invoice, read the job every 25 ms until it succeeded, then download its PDF; then, for the eight
# slowest, the database's times in ms from the client's POST: the outbox row written and sent, the renderer's start
# and end (render_jobs.started_at, finished_at), and each timeline event as the API applied it. Needs psql to the
# local run's PostgreSQL. docs/performance.md ("Twenty-second session") has what it found.
#   eval "$(grep '^export PRESSROOM_API' run.log)"   # the export line deploy/local/run.sh prints
#   python3 deploy/bench/poll-tail.py 250            # N jobs per client
import json, os, subprocess, sys, threading, time, urllib.request

api = os.environ['PRESSROOM_API']
token = os.environ['PRESSROOM_TOKEN']
docs = os.environ.get('PRESSROOM_BENCH_DOCS',
                      os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '..', 'shared', 'bench'))
html = open(os.path.join(docs, 'invoice.html')).read()
jobs_per_client = int(sys.argv[1]) if len(sys.argv) > 1 else 250
headers = {"Authorization": "Bearer " + token, "Content-Type": "application/json"}
results = []
lock = threading.Lock()


def call(method, path, body=None):
    request = urllib.request.Request(api + path, data=None if body is None else json.dumps(body).encode(),
                                     headers=headers, method=method)
    with urllib.request.urlopen(request) as response:
        return response.read()


def client():
    for _ in range(jobs_per_client):
        start = time.time()
        job_id = json.loads(call("POST", "/v1/render-jobs", {"html": html}))["job"]["id"]
        polls = 0
        while True:
            polls += 1
            status = json.loads(call("GET", "/v1/render-jobs/" + job_id))["job"]["status"]
            if status == "succeeded":
                break
            assert status in ("queued", "rendering"), status
            time.sleep(0.025)
        call("GET", "/v1/render-jobs/" + job_id + "/output")
        with lock:
            results.append(((time.time() - start) * 1000, job_id, start, polls))


def psql(sql):
    return subprocess.check_output(["psql", "-h", "127.0.0.1", "-p", os.environ.get("PRESSROOM_PG_PORT", "55432"),
                                    "-U", "postgres", "-Atc", sql],
                                   env=dict(os.environ, PGPASSWORD="postgres")).decode().strip()


threads = [threading.Thread(target=client) for _ in range(2)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
results.sort()
millis = [r[0] for r in results]
print("n=%d p50 %.0f p90 %.0f p99 %.0f max %.0f ms" % (len(millis), millis[len(millis) // 2],
                                                       millis[int(len(millis) * .9)], millis[int(len(millis) * .99)],
                                                       millis[-1]))
for total, job_id, start, polls in results[-8:]:
    at = "round((extract(epoch from %%s) * 1000 - %f)::numeric)" % (start * 1000)
    outbox = psql(("select 'written ' || %s || ', sent ' || %s from outbox where message_key = '%s' order by id limit 1")
                  % (at % "created_at", at % "sent_at", job_id))
    renderer = psql("select %s || '..' || %s from render_jobs where id = '%s'"
                    % (at % "started_at", at % "finished_at", job_id))
    events = psql("select string_agg(type || '@' || %s, ' ' order by id) from job_events where job_id = '%s'"
                  % (at % "at", job_id))
    print("%6.0f ms, %d polls, %s | outbox %s | renderer %s | %s" % (total, polls, job_id, outbox, renderer, events))
