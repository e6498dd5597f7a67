-- Where the render report of the attached attempt is stored (JSON in object storage).
ALTER TABLE render_outputs ADD COLUMN report_key text;
