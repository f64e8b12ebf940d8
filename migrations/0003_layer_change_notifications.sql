-- Every change to a layer table, by the API or by any other client (psql, an importer), sends
-- one notification per statement on channel layer_changes, with the layer and the bounding boxes
-- (WGS 84) of the rows before and after. The server drops exactly the cached tiles under them.

CREATE FUNCTION notify_layer_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  before_box box2d;
  after_box box2d;
BEGIN
  -- Transition tables exist only for the events that have them; plpgsql plans each branch lazily.
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    SELECT ST_Extent(geom) INTO before_box FROM old_rows;
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    SELECT ST_Extent(geom) INTO after_box FROM new_rows;
  END IF;
  IF before_box IS NULL AND after_box IS NULL THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('layer_changes', json_build_object(
    'layer', TG_TABLE_NAME,
    'boxes', (SELECT json_agg(json_build_array(ST_XMin(b), ST_YMin(b), ST_XMax(b), ST_YMax(b)))
              FROM unnest(ARRAY[before_box, after_box]) AS b WHERE b IS NOT NULL)
  )::text);
  RETURN NULL;
END;
$$;

DO $$
DECLARE
  layer text;
BEGIN
  FOREACH layer IN ARRAY ARRAY['districts', 'grid_cells', 'roads', 'alleys', 'streetlights',
                               'trash_hotspots', 'vendor_zones', 'restricted_areas', 'cases'] LOOP
    EXECUTE format('CREATE TRIGGER %1$s_notify_insert AFTER INSERT ON %1$I REFERENCING NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_layer_change()', layer);
    EXECUTE format('CREATE TRIGGER %1$s_notify_update AFTER UPDATE ON %1$I REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_layer_change()', layer);
    EXECUTE format('CREATE TRIGGER %1$s_notify_delete AFTER DELETE ON %1$I REFERENCING OLD TABLE AS old_rows
                    FOR EACH STATEMENT EXECUTE FUNCTION notify_layer_change()', layer);
  END LOOP;
END;
$$;
