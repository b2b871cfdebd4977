//! Route patterns filled in (`expand`) and matched (`captures`): the one place that writes and
//! splits the paths of this instance's IRIs.

/// `pattern` with each `{name}` / `{name:regex}` replaced by its value in `values`.
pub fn expand(pattern: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(pattern.len() + 32);
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let close = rest[open..].find('}').map_or(rest.len(), |c| open + c);
        let name = rest[open + 1..close].split(':').next().unwrap_or_default();
        let value = values.iter().find(|(n, _)| *n == name).map(|(_, v)| *v);
        out.push_str(value.unwrap_or_default());
        rest = rest.get(close + 1..).unwrap_or_default();
    }
    out.push_str(rest);
    out
}

/// The values of `pattern`'s placeholders in `path`, if `path` has exactly its shape. A
/// `{name:.+}` placeholder takes the rest of the path; every other one a non-empty segment.
pub fn captures<'a>(pattern: &'a str, path: &'a str) -> Option<Vec<(&'a str, &'a str)>> {
    let mut given = path.strip_prefix('/')?;
    let mut wanted = pattern.strip_prefix('/')?.split('/').peekable();
    let mut out = Vec::new();
    while let Some(segment) = wanted.next() {
        let placeholder = segment.strip_prefix('{');
        if let Some(name) = placeholder.and_then(|s| s.strip_suffix(":.+}")) {
            let whole = !given.is_empty() && wanted.peek().is_none();
            return whole.then(|| {
                out.push((name, given));
                out
            });
        }
        let (here, tail) = match given.split_once('/') {
            Some((here, tail)) => (here, Some(tail)),
            None => (given, None),
        };
        match placeholder.and_then(|s| s.strip_suffix('}')) {
            Some(name) if !here.is_empty() => out.push((name, here)),
            None if here == segment => {}
            _ => return None,
        }
        match (tail, wanted.peek()) {
            (Some(tail), Some(_)) => given = tail,
            (None, None) => return Some(out),
            _ => return None,
        }
    }
    None
}
