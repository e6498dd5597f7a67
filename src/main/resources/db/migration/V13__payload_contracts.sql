-- A version's data contract (issue 14): the JSON Schema (2020-12) its payloads must match and a sample payload.
-- Both are also files of the bundle (schema.json, sample.json); kept here so a job's create checks its payload
-- without reading object storage.
ALTER TABLE deploy_versions
    ADD COLUMN payload_schema jsonb,
    ADD COLUMN sample_payload jsonb;
