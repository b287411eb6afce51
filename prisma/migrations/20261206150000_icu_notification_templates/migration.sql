-- Notification templates move from Mustache ({{var}}, {{#var}}…{{/var}}) to ICU MessageFormat, the
-- syntax of every other text (docs/i18n.md, docs/notifications.md):
--   {{x}}, {{{x}}}, {{&x}}   → {x}
--   {{#x}}A{{/x}}           → {x, select, empty {} other {A}}     (shown when x is set)
--   {{^x}}B{{/x}}           → {x, select, empty {B} other {}}     (shown when x is empty)
--   {{! comment }}          → removed
-- A section, closing or comment tag alone on its line takes the line with it, as in Mustache
-- ("standalone" tags), so a converted text renders exactly as before. Literal text is escaped for
-- ICU: braces are quoted ('{', '}'), apostrophes are doubled where ICU would read them as quotes. A
-- body that is not valid Mustache (an unclosed section) is left as it was: the editor then shows
-- what to fix. The function stays in the schema so a test can check that the converted standard
-- texts equal the ICU texts in code (lib/notifications/system-templates.ts).
CREATE FUNCTION "aq_mustache_to_icu"(body text) RETURNS text LANGUAGE plpgsql IMMUTABLE AS $fn$
DECLARE
  -- Markers for literal characters while the ICU syntax is assembled: apostrophe, {, }.
  q CONSTANT text := chr(1);
  lb CONSTANT text := chr(2);
  rb CONSTANT text := chr(3);
  apos CONSTANT text := chr(39);
  nl CONSTANT text := chr(10);
  src text := body;
  result text := '';
  pos int;
  close_at int;
  tag text;
  kind text;
  tag_name text;
  section_text text;
  lit text;
  names text[] := '{}';
  inverted boolean[] := '{}';
  starts int[] := '{}';
  depth int := 0;
  line_end int;
  rest_of_line text;
  -- The current line so far holds only literal whitespace: line_ws characters at the end of result.
  line_clean boolean := true;
  line_ws int := 0;
  -- Tags still to come on a standalone line (already stripped of its whitespace and newline).
  standalone_left int := 0;
  grp text;
  n int;
  nxt text;
BEGIN
  IF body IS NULL THEN
    RETURN NULL;
  END IF;
  LOOP
    pos := strpos(src, '{{');
    lit := CASE WHEN pos = 0 THEN src ELSE left(src, pos - 1) END;
    result := result || replace(replace(replace(lit, apos, q), '{', lb), '}', rb);
    IF strpos(lit, nl) > 0 THEN
      lit := substring(lit FROM '[^' || nl || ']*$');
      line_clean := lit ~ '^[ \t\r]*$';
      line_ws := length(lit);
    ELSIF lit <> '' THEN
      line_clean := line_clean AND lit ~ '^[ \t\r]*$';
      line_ws := line_ws + length(lit);
    END IF;
    EXIT WHEN pos = 0;
    src := substr(src, pos);
    IF left(src, 3) = '{{{' THEN
      close_at := strpos(src, '}}}');
      IF close_at = 0 THEN RETURN body; END IF;
      tag := '&' || substr(src, 4, close_at - 4);
      src := substr(src, close_at + 3);
    ELSE
      close_at := strpos(src, '}}');
      IF close_at = 0 THEN RETURN body; END IF;
      tag := substr(src, 3, close_at - 3);
      src := substr(src, close_at + 2);
    END IF;
    tag := btrim(tag);
    kind := left(tag, 1);
    IF kind IN ('#', '^', '/', '!', '&', '>', '=') THEN
      tag_name := btrim(substr(tag, 2));
    ELSE
      kind := '';
      tag_name := tag;
    END IF;
    -- Standalone lines (Mustache): a line holding only section, closing or comment tags and
    -- whitespace disappears — its whitespace and its newline go, the tags stay.
    IF standalone_left > 0 THEN
      standalone_left := standalone_left - 1;
    ELSIF kind IN ('#', '^', '/', '!', '>', '=') AND line_clean THEN
      line_end := strpos(src, nl);
      rest_of_line := CASE WHEN line_end = 0 THEN src ELSE left(src, line_end - 1) END;
      IF rest_of_line ~ '^([ \t\r]*\{\{[#^/!>=][^}]*\}\})*[ \t\r]*$' THEN
        result := left(result, length(result) - line_ws);
        line_ws := 0;
        standalone_left := (SELECT count(*) FROM regexp_matches(rest_of_line, '\{\{', 'g'));
        src := coalesce((SELECT string_agg(m.t[1], '' ORDER BY m.i) FROM regexp_matches(rest_of_line, '(\{\{[^}]*\}\})', 'g') WITH ORDINALITY AS m(t, i)), '') ||
          CASE WHEN line_end = 0 THEN '' ELSE substr(src, line_end + 1) END;
      ELSE
        line_clean := false;
      END IF;
    ELSE
      line_clean := false;
    END IF;
    IF kind = '!' THEN
      CONTINUE;
    ELSIF kind IN ('#', '^') THEN
      depth := depth + 1;
      names[depth] := tag_name;
      inverted[depth] := (kind = '^');
      starts[depth] := length(result);
    ELSIF kind = '/' THEN
      IF depth = 0 OR names[depth] <> tag_name THEN RETURN body; END IF;
      section_text := substr(result, starts[depth] + 1);
      result := left(result, starts[depth]) || '{' || tag_name || ', select, empty {' ||
        CASE WHEN inverted[depth] THEN section_text ELSE '' END || '} other {' ||
        CASE WHEN inverted[depth] THEN '' ELSE section_text END || '}}';
      depth := depth - 1;
    ELSIF kind IN ('>', '=') THEN
      -- Partials and delimiter changes were never accepted: they stay as literal text.
      result := result || lb || lb || replace(replace(replace(tag, apos, q), '{', lb), '}', rb) || rb || rb;
    ELSIF tag_name = '.' AND depth > 0 THEN
      result := result || '{' || names[depth] || '}';
    ELSE
      result := result || '{' || tag_name || '}';
    END IF;
  END LOOP;
  IF depth > 0 THEN RETURN body; END IF;

  -- Literal braces, with any apostrophes next to them, are quoted as one group: '{…}' (an apostrophe
  -- inside a quoted group is doubled).
  LOOP
    grp := substring(result FROM '[' || q || lb || rb || ']*[' || lb || rb || '][' || q || lb || rb || ']*');
    EXIT WHEN grp IS NULL;
    pos := strpos(result, grp);
    result := left(result, pos - 1) || apos ||
      replace(replace(replace(grp, q, apos || apos), lb, '{'), rb, '}') || apos || substr(result, pos + length(grp));
  END LOOP;
  -- Other apostrophes: one before ordinary text stays as it is; a run of them, or one before ICU
  -- syntax ({ or }), is doubled.
  LOOP
    grp := substring(result FROM '[' || q || ']+');
    EXIT WHEN grp IS NULL;
    pos := strpos(result, grp);
    n := length(grp);
    nxt := substr(result, pos + n, 1);
    result := left(result, pos - 1) ||
      CASE WHEN n >= 2 OR nxt IN ('{', '}') THEN repeat(apos, 2 * n) ELSE apos END ||
      substr(result, pos + n);
  END LOOP;
  RETURN result;
END;
$fn$;

UPDATE "notification_templates"
SET "body" = "aq_mustache_to_icu"("body"),
    "body_en" = "aq_mustache_to_icu"("body_en");
