-- Appending to an audit chain in one statement. Locking the chain, reading its head and inserting
-- the new row used to be three round trips inside the caller's transaction (five for a read, which
-- had a transaction of its own). The function does the same three steps on the server: each of its
-- statements sees rows committed before it ran, so the head is read after the lock is held.
-- The caller sends the canonical body it would hash (see audit-chain.ts); the hash is
-- sha256(previous hash, newline, body), exactly as the verifier recomputes it from the columns.

CREATE FUNCTION audit_append(
  p_chain text,
  p_occurred_at timestamptz,
  p_actor_user_id uuid,
  p_actor_role text,
  p_actor_organisation_id uuid,
  p_action text,
  p_record_type text,
  p_record_id text,
  p_service_id uuid,
  p_outcome text,
  p_request_id text,
  p_detail jsonb,
  p_body text
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  previous text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('audit:' || p_chain));
  SELECT hash INTO previous FROM audit_event WHERE chain = p_chain ORDER BY seq DESC LIMIT 1;
  previous := coalesce(previous, repeat('0', 64));
  INSERT INTO audit_event (chain, occurred_at, actor_user_id, actor_role, actor_organisation_id, action, record_type, record_id,
                           service_id, outcome, request_id, detail, prev_hash, hash)
  VALUES (p_chain, p_occurred_at, p_actor_user_id, p_actor_role, p_actor_organisation_id, p_action, p_record_type, p_record_id,
          p_service_id, p_outcome, p_request_id, p_detail, previous,
          encode(sha256(convert_to(previous || E'\n' || p_body, 'UTF8')), 'hex'));
END;
$$;
COMMENT ON FUNCTION audit_append IS 'Appends one row to an audit chain under the chain''s lock, linking it to the head. Runs with the caller''s rights.';
