//! Discord's documented limits, checked on every body the bot sends. Each problem is a
//! `(json.path, explanation)` pair; the caller answers 400 Invalid Form Body and records it.

use std::collections::HashSet;

use serde_json::Value;

pub(crate) type Problems = Vec<(String, String)>;

pub const THREAD_ARCHIVE_DURATIONS: [u64; 4] = [60, 1440, 4320, 10080];

fn chars(v: &Value) -> usize {
    v.as_str().map_or(0, |s| s.chars().count())
}

fn max_len(p: &mut Problems, path: &str, v: Option<&Value>, max: usize) {
    if let Some(v) = v.filter(|v| !v.is_null()) {
        if !v.is_string() {
            p.push((path.into(), "must be a string".into()));
        } else if chars(v) > max {
            p.push((
                path.into(),
                format!("at most {max} characters (got {})", chars(v)),
            ));
        }
    }
}

fn len_range(p: &mut Problems, path: &str, v: Option<&Value>, min: usize, max: usize) {
    match v.and_then(Value::as_str) {
        None => p.push((path.into(), "required".into())),
        Some(s) => {
            let n = s.chars().count();
            if n < min || n > max {
                p.push((
                    path.into(),
                    format!("must be {min}..={max} characters (got {n})"),
                ));
            }
        }
    }
}

fn array<'a>(v: &'a Value, key: &str) -> &'a [Value] {
    v.get(key)
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// A message body: channel messages, interaction responses (type 4/7 data), follow-ups, edits.
pub(crate) fn message(body: &Value, creating: bool, allow_ephemeral: bool) -> Problems {
    let mut p = Problems::new();
    max_len(&mut p, "content", body.get("content"), 2000);
    let embeds = array(body, "embeds");
    if embeds.len() > 10 {
        p.push((
            "embeds".into(),
            format!("at most 10 embeds (got {})", embeds.len()),
        ));
    }
    let mut total = 0;
    for (i, e) in embeds.iter().enumerate() {
        total += embed(&mut p, &format!("embeds.{i}"), e);
    }
    if total > 6000 {
        p.push((
            "embeds".into(),
            format!("at most 6000 characters over all embeds (got {total})"),
        ));
    }
    message_components(&mut p, array(body, "components"));
    allowed_mentions(&mut p, body.get("allowed_mentions"));
    if let Some(flags) = body.get("flags").and_then(Value::as_u64) {
        let mut allowed = 4 | 4096 | 32768;
        if allow_ephemeral {
            allowed |= 64;
        }
        if flags & !allowed != 0 {
            p.push((
                "flags".into(),
                format!("flags {flags} include bits that cannot be set here"),
            ));
        }
    }
    if creating {
        let has_content = body
            .get("content")
            .and_then(Value::as_str)
            .is_some_and(|s| !s.is_empty());
        let has_other = !embeds.is_empty()
            || !array(body, "components").is_empty()
            || !array(body, "attachments").is_empty()
            || !array(body, "sticker_ids").is_empty()
            || body.get("poll").is_some_and(|v| !v.is_null());
        if !has_content && !has_other {
            p.push((
                "content".into(),
                "Cannot send an empty message (50006)".into(),
            ));
        }
    }
    p
}

/// Check one embed; returns its character count towards the 6000 total.
fn embed(p: &mut Problems, path: &str, e: &Value) -> usize {
    max_len(p, &format!("{path}.title"), e.get("title"), 256);
    max_len(
        p,
        &format!("{path}.description"),
        e.get("description"),
        4096,
    );
    max_len(
        p,
        &format!("{path}.footer.text"),
        e.pointer("/footer/text"),
        2048,
    );
    max_len(
        p,
        &format!("{path}.author.name"),
        e.pointer("/author/name"),
        256,
    );
    let fields = array(e, "fields");
    if fields.len() > 25 {
        p.push((
            format!("{path}.fields"),
            format!("at most 25 fields (got {})", fields.len()),
        ));
    }
    let mut total = chars(&e["title"]) + chars(&e["description"]);
    total +=
        e.pointer("/footer/text").map_or(0, chars) + e.pointer("/author/name").map_or(0, chars);
    for (i, f) in fields.iter().enumerate() {
        len_range(p, &format!("{path}.fields.{i}.name"), f.get("name"), 1, 256);
        len_range(
            p,
            &format!("{path}.fields.{i}.value"),
            f.get("value"),
            1,
            1024,
        );
        total += chars(&f["name"]) + chars(&f["value"]);
    }
    total
}

fn custom_id(p: &mut Problems, path: &str, c: &Value, seen: &mut HashSet<String>) {
    len_range(p, path, c.get("custom_id"), 1, 100);
    if let Some(id) = c.get("custom_id").and_then(Value::as_str) {
        if !seen.insert(id.to_owned()) {
            p.push((
                path.into(),
                format!("custom_id {id:?} is used twice in one message/modal"),
            ));
        }
    }
}

fn message_components(p: &mut Problems, rows: &[Value]) {
    if rows.len() > 5 {
        p.push((
            "components".into(),
            format!("at most 5 action rows (got {})", rows.len()),
        ));
    }
    let mut seen = HashSet::new();
    for (r, row) in rows.iter().enumerate() {
        let path = format!("components.{r}");
        if row.get("type").and_then(Value::as_u64) != Some(1) {
            p.push((
                path.clone(),
                "top-level components must be action rows (type 1)".into(),
            ));
            continue;
        }
        let items = array(row, "components");
        if items.is_empty() {
            p.push((
                format!("{path}.components"),
                "an action row needs 1..=5 components".into(),
            ));
        }
        let selects = items
            .iter()
            .filter(|c| matches!(c["type"].as_u64(), Some(3 | 5..=8)))
            .count();
        if selects > 0 && items.len() > 1 {
            p.push((
                format!("{path}.components"),
                "a select menu must be alone in its row".into(),
            ));
        }
        if items.len() > 5 {
            p.push((
                format!("{path}.components"),
                format!("at most 5 buttons a row (got {})", items.len()),
            ));
        }
        for (i, c) in items.iter().enumerate() {
            let path = format!("{path}.components.{i}");
            match c.get("type").and_then(Value::as_u64) {
                Some(2) => button(p, &path, c, &mut seen),
                Some(3 | 5..=8) => select(p, &path, c, &mut seen),
                Some(4) => p.push((path, "text inputs belong in modals, not messages".into())),
                other => p.push((
                    path,
                    format!("unknown component type {other:?} in an action row"),
                )),
            }
        }
    }
}

fn button(p: &mut Problems, path: &str, c: &Value, seen: &mut HashSet<String>) {
    let style = c.get("style").and_then(Value::as_u64).unwrap_or(0);
    max_len(p, &format!("{path}.label"), c.get("label"), 80);
    match style {
        1..=4 => custom_id(p, &format!("{path}.custom_id"), c, seen),
        5 => {
            if c.get("url").and_then(Value::as_str).is_none() {
                p.push((format!("{path}.url"), "a link button needs a url".into()));
            }
            if c.get("custom_id").is_some_and(|v| !v.is_null()) {
                p.push((
                    format!("{path}.custom_id"),
                    "a link button cannot have a custom_id".into(),
                ));
            }
        }
        6 => {}
        other => p.push((
            format!("{path}.style"),
            format!("unknown button style {other}"),
        )),
    }
    let has_label = c
        .get("label")
        .and_then(Value::as_str)
        .is_some_and(|s| !s.is_empty());
    if style != 6 && !has_label && c.get("emoji").map_or(true, Value::is_null) {
        p.push((path.into(), "a button needs a label or an emoji".into()));
    }
}

fn select(p: &mut Problems, path: &str, c: &Value, seen: &mut HashSet<String>) {
    custom_id(p, &format!("{path}.custom_id"), c, seen);
    max_len(p, &format!("{path}.placeholder"), c.get("placeholder"), 150);
    let options = array(c, "options");
    if c["type"].as_u64() == Some(3) && (options.is_empty() || options.len() > 25) {
        p.push((
            format!("{path}.options"),
            format!(
                "a string select needs 1..=25 options (got {})",
                options.len()
            ),
        ));
    }
    for (i, o) in options.iter().enumerate() {
        len_range(
            p,
            &format!("{path}.options.{i}.label"),
            o.get("label"),
            1,
            100,
        );
        len_range(
            p,
            &format!("{path}.options.{i}.value"),
            o.get("value"),
            1,
            100,
        );
        max_len(
            p,
            &format!("{path}.options.{i}.description"),
            o.get("description"),
            100,
        );
    }
    for key in ["min_values", "max_values"] {
        if let Some(n) = c.get(key).and_then(Value::as_u64) {
            if n > 25 {
                p.push((format!("{path}.{key}"), format!("at most 25 (got {n})")));
            }
        }
    }
}

fn allowed_mentions(p: &mut Problems, am: Option<&Value>) {
    let Some(am) = am.filter(|v| !v.is_null()) else {
        return;
    };
    let parse: Vec<&str> = array(am, "parse")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    for kind in &parse {
        if !matches!(*kind, "users" | "roles" | "everyone") {
            p.push((
                "allowed_mentions.parse".into(),
                format!("unknown mention type {kind:?}"),
            ));
        }
    }
    for (list, kind) in [("users", "users"), ("roles", "roles")] {
        let items = array(am, list);
        if parse.contains(&kind) && !items.is_empty() {
            p.push((
                format!("allowed_mentions.{list}"),
                format!("parse:[\"{kind}\"] and a {list} list are mutually exclusive"),
            ));
        }
        if items.len() > 100 {
            p.push((format!("allowed_mentions.{list}"), "at most 100 ids".into()));
        }
    }
}

/// Interaction callback type 9.
pub(crate) fn modal(data: &Value) -> Problems {
    let mut p = Problems::new();
    len_range(&mut p, "data.title", data.get("title"), 1, 45);
    len_range(&mut p, "data.custom_id", data.get("custom_id"), 1, 100);
    let rows = array(data, "components");
    if rows.is_empty() || rows.len() > 5 {
        p.push((
            "data.components".into(),
            format!("a modal needs 1..=5 rows (got {})", rows.len()),
        ));
    }
    let mut seen = HashSet::new();
    for (r, row) in rows.iter().enumerate() {
        let path = format!("data.components.{r}");
        let items = array(row, "components");
        if row["type"].as_u64() != Some(1) || items.len() != 1 {
            p.push((
                path.clone(),
                "each modal row is an action row with exactly one text input".into(),
            ));
        }
        for (i, c) in items.iter().enumerate() {
            let path = format!("{path}.components.{i}");
            if c["type"].as_u64() != Some(4) {
                p.push((path.clone(), "modals only take text inputs (type 4)".into()));
                continue;
            }
            custom_id(&mut p, &format!("{path}.custom_id"), c, &mut seen);
            len_range(&mut p, &format!("{path}.label"), c.get("label"), 1, 45);
            if !matches!(c["style"].as_u64(), Some(1 | 2)) {
                p.push((
                    format!("{path}.style"),
                    "style must be 1 (short) or 2 (paragraph)".into(),
                ));
            }
            max_len(&mut p, &format!("{path}.value"), c.get("value"), 4000);
            max_len(
                &mut p,
                &format!("{path}.placeholder"),
                c.get("placeholder"),
                100,
            );
            let min = c.get("min_length").and_then(Value::as_u64);
            let max = c.get("max_length").and_then(Value::as_u64);
            if min.is_some_and(|m| m > 4000) || max.is_some_and(|m| m == 0 || m > 4000) {
                p.push((
                    path.clone(),
                    "min_length 0..=4000, max_length 1..=4000".into(),
                ));
            }
            if let (Some(min), Some(max)) = (min, max) {
                if min > max {
                    p.push((path, format!("min_length {min} > max_length {max}")));
                }
            }
        }
    }
    p
}

/// Interaction callback type 8.
pub(crate) fn autocomplete(data: &Value) -> Problems {
    let mut p = Problems::new();
    let choices = array(data, "choices");
    if choices.len() > 25 {
        p.push((
            "data.choices".into(),
            format!("at most 25 choices (got {})", choices.len()),
        ));
    }
    for (i, c) in choices.iter().enumerate() {
        len_range(
            &mut p,
            &format!("data.choices.{i}.name"),
            c.get("name"),
            1,
            100,
        );
        if c.get("value").is_some_and(Value::is_string) {
            len_range(
                &mut p,
                &format!("data.choices.{i}.value"),
                c.get("value"),
                1,
                100,
            );
        }
    }
    p
}

/// Thread creation (both routes) and channel edits.
pub(crate) fn thread_fields(body: &Value, creating: bool) -> Problems {
    let mut p = Problems::new();
    if creating || body.get("name").is_some() {
        len_range(&mut p, "name", body.get("name"), 1, 100);
    }
    if let Some(d) = body.get("auto_archive_duration").filter(|v| !v.is_null()) {
        if !d
            .as_u64()
            .is_some_and(|d| THREAD_ARCHIVE_DURATIONS.contains(&d))
        {
            p.push((
                "auto_archive_duration".into(),
                format!("must be one of 60, 1440, 4320, 10080 (got {d})"),
            ));
        }
    }
    if let Some(t) = body.get("type").filter(|v| !v.is_null()) {
        if creating && !matches!(t.as_u64(), Some(10..=12)) {
            p.push((
                "type".into(),
                format!("thread type must be 10, 11 or 12 (got {t})"),
            ));
        }
    }
    if let Some(r) = body.get("rate_limit_per_user").and_then(Value::as_u64) {
        if r > 21600 {
            p.push(("rate_limit_per_user".into(), "at most 21600".into()));
        }
    }
    p
}

fn command_name(p: &mut Problems, path: &str, name: Option<&Value>) {
    len_range(p, path, name, 1, 32);
    if let Some(n) = name.and_then(Value::as_str) {
        if n.chars().any(|c| {
            c.is_uppercase() || !(c.is_alphanumeric() || c == '-' || c == '_' || c == '\'')
        }) {
            p.push((
                path.into(),
                format!("{n:?}: lowercase letters, digits, '-', '_' only"),
            ));
        }
    }
}

/// `PUT /applications/{app}[/guilds/{guild}]/commands` bodies (and single creates).
pub(crate) fn commands(list: &[Value]) -> Problems {
    let mut p = Problems::new();
    if list.len() > 100 {
        p.push((
            "".into(),
            format!("at most 100 commands (got {})", list.len()),
        ));
    }
    let mut names = HashSet::new();
    for (i, c) in list.iter().enumerate() {
        let path = i.to_string();
        let kind = c.get("type").and_then(Value::as_u64).unwrap_or(1);
        command_name(&mut p, &format!("{path}.name"), c.get("name"));
        if !names.insert((kind, c["name"].as_str().unwrap_or_default().to_owned())) {
            p.push((
                format!("{path}.name"),
                "two commands of one type share a name".into(),
            ));
        }
        if kind == 1 {
            len_range(
                &mut p,
                &format!("{path}.description"),
                c.get("description"),
                1,
                100,
            );
        }
        options(&mut p, &format!("{path}.options"), array(c, "options"), 0);
    }
    p
}

fn options(p: &mut Problems, path: &str, opts: &[Value], depth: usize) {
    if opts.len() > 25 {
        p.push((
            path.into(),
            format!("at most 25 options (got {})", opts.len()),
        ));
    }
    let subs = opts
        .iter()
        .filter(|o| matches!(o["type"].as_u64(), Some(1 | 2)))
        .count();
    if subs > 0 && subs != opts.len() {
        p.push((
            path.into(),
            "subcommands cannot sit beside plain options".into(),
        ));
    }
    let mut seen_optional = false;
    let mut names = HashSet::new();
    for (i, o) in opts.iter().enumerate() {
        let opath = format!("{path}.{i}");
        command_name(p, &format!("{opath}.name"), o.get("name"));
        len_range(
            p,
            &format!("{opath}.description"),
            o.get("description"),
            1,
            100,
        );
        if !names.insert(o["name"].as_str().unwrap_or_default().to_owned()) {
            p.push((format!("{opath}.name"), "duplicate option name".into()));
        }
        let kind = o["type"].as_u64().unwrap_or(0);
        match kind {
            1 | 2 => {
                if depth >= 2 || (kind == 2 && depth >= 1) {
                    p.push((
                        opath.clone(),
                        "subcommands nest at most group -> subcommand".into(),
                    ));
                }
                options(
                    p,
                    &format!("{opath}.options"),
                    array(o, "options"),
                    depth + 1,
                );
            }
            3..=11 => {
                let required = o["required"].as_bool().unwrap_or(false);
                if required && seen_optional {
                    p.push((
                        opath.clone(),
                        "required options must come before optional ones".into(),
                    ));
                }
                seen_optional |= !required;
                let choices = array(o, "choices");
                if choices.len() > 25 {
                    p.push((format!("{opath}.choices"), "at most 25 choices".into()));
                }
                if o["autocomplete"].as_bool() == Some(true) && !choices.is_empty() {
                    p.push((
                        opath.clone(),
                        "autocomplete and choices are mutually exclusive".into(),
                    ));
                }
            }
            other => p.push((
                format!("{opath}.type"),
                format!("unknown option type {other}"),
            )),
        }
    }
}
