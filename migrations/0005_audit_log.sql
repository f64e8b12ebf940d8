-- Every write to a layer, appended in the same transaction as the write: who, when, which
-- feature, what was done, and the feature (properties and geometry) before and after.

CREATE TABLE audit_log (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  occurred_at timestamptz NOT NULL DEFAULT now(),
  user_id bigint REFERENCES users (id),
  username text NOT NULL,
  layer text NOT NULL,
  feature_id bigint NOT NULL,
  action text NOT NULL CHECK (action IN ('create', 'update', 'delete', 'restore')),
  -- The feature's version once this change is made.
  version integer NOT NULL,
  before jsonb,
  after jsonb,
  CHECK (before IS NOT NULL OR after IS NOT NULL)
);

CREATE INDEX audit_log_feature_idx ON audit_log (layer, feature_id, version);
CREATE INDEX audit_log_time_idx ON audit_log (occurred_at);
CREATE INDEX audit_log_user_idx ON audit_log (username, occurred_at);
