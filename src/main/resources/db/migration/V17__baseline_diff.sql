-- Issue 15 (5): a job compared with a baseline. baseline_job_id names the succeeded job of the same project whose
-- PDF (baseline_key, resolved at creation) the render is compared with; baseline_version_id names the template
-- version rendered with the same payload instead (the release gate of POST /v1/deploys/{id}/versions?verify=true).
-- The comparison is stored with the output it was made for; diff_images difference PNGs lie beside the PDF as
-- diff-{n}.png and are deleted with it.
ALTER TABLE render_jobs
    ADD COLUMN baseline_job_id     text REFERENCES render_jobs (id) ON DELETE SET NULL,
    ADD COLUMN baseline_key        text,
    ADD COLUMN baseline_version_id text;

ALTER TABLE render_outputs
    ADD COLUMN diff        jsonb,
    ADD COLUMN diff_images integer NOT NULL DEFAULT 0;
