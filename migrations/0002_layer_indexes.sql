-- GiST indexes on both projections: 3857 serves tiles, 4326 serves OGC bbox queries.
-- Partial on live rows, since every read hides soft-deleted features.
DO $$
DECLARE
  layer text;
BEGIN
  FOREACH layer IN ARRAY ARRAY['districts', 'grid_cells', 'roads', 'alleys', 'streetlights',
                               'trash_hotspots', 'vendor_zones', 'restricted_areas', 'cases'] LOOP
    EXECUTE format('CREATE INDEX %1$s_geom_3857_idx ON %1$I USING gist (geom_3857) WHERE deleted_at IS NULL', layer);
    EXECUTE format('CREATE INDEX %1$s_geom_idx ON %1$I USING gist (geom) WHERE deleted_at IS NULL', layer);
    EXECUTE format('CREATE TRIGGER %1$s_touch BEFORE UPDATE ON %1$I FOR EACH ROW EXECUTE FUNCTION touch_row()', layer);
  END LOOP;
END;
$$;

CREATE INDEX streetlights_road_idx ON streetlights (road_id);
CREATE INDEX cases_reported_at_idx ON cases (reported_at);
CREATE INDEX trash_hotspots_reported_at_idx ON trash_hotspots (reported_at);
