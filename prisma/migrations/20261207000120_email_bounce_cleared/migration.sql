-- Issue 15 (docs/messages.md): a bounced address (users.email_bounced_at) stops being "bounced" when the
-- email changes or is verified again — in every path that writes users (sign-up, Telegram linking,
-- verification, the admin), so no service can forget it.
CREATE FUNCTION users_clear_email_bounce() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.email_bounced_at IS NOT NULL
     AND OLD.email_bounced_at IS NOT DISTINCT FROM NEW.email_bounced_at
     AND (NEW.email IS DISTINCT FROM OLD.email
          OR (NEW.email_verified_at IS NOT NULL AND NEW.email_verified_at IS DISTINCT FROM OLD.email_verified_at)) THEN
    NEW.email_bounced_at := NULL;
  END IF;
  RETURN NEW;
END
$$;

CREATE TRIGGER users_clear_email_bounce
  BEFORE UPDATE OF email, email_verified_at ON users
  FOR EACH ROW EXECUTE FUNCTION users_clear_email_bounce();
