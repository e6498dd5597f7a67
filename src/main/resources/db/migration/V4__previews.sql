-- PNG page previews of the attached attempt (formats: ["pdf", "png"]), stored beside the PDF as page-{n}.png.
ALTER TABLE render_outputs ADD COLUMN preview_pages integer NOT NULL DEFAULT 0;
ALTER TABLE render_outputs ADD COLUMN preview_bytes bigint NOT NULL DEFAULT 0;
