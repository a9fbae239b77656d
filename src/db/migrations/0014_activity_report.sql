-- The activity report (ADR 24) pairs each holding start with what ended it, for one service: from
-- this small partial index rather than every action of every episode.
CREATE INDEX episode_action_holding_idx ON episode_action (service_id, episode_id, occurred_at) WHERE kind IN ('holding_started', 'holding_ended', 'closed');
-- Discretions recorded in the report's period, for one service.
CREATE INDEX discretion_recorded_idx ON discretion (service_id, recorded_at);
