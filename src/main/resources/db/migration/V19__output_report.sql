-- Issue 12: a render's report (pages, bytes, sha256, timings, console errors, refused requests) comes with the
-- renderer's succeeded event and is kept with its output, instead of as a second object beside the PDF: one storage
-- request fewer per render. report_key stays for the outputs whose report was stored as an object (and for
-- renderers of an earlier version during an upgrade).
ALTER TABLE render_outputs
    ADD COLUMN report jsonb;
