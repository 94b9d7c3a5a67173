//! The generic JSON-path blanker behind redacted responses.
//!
//! A guard path names fields joined by `.`; `[]` after a field means "in every element of that
//! list" (`outputs[].data.concepts`). [`remove_path`] removes the last field wherever the path
//! leads; parts of the path that are absent are skipped.

use serde_json::Value;

/// Removes the part of `value` that `path` names. Returns how many fields were removed.
pub(crate) fn remove_path(value: &mut Value, path: &str) -> usize {
    let segments: Vec<(&str, bool)> = path
        .split('.')
        .map(|s| match s.strip_suffix("[]") {
            Some(field) => (field, true),
            None => (s, false),
        })
        .collect();
    remove_segments(value, &segments)
}

fn remove_segments(value: &mut Value, segments: &[(&str, bool)]) -> usize {
    let Some(((field, is_list), rest)) = segments.split_first() else {
        return 0;
    };
    let Value::Object(map) = value else {
        return 0;
    };
    if rest.is_empty() && !is_list {
        return usize::from(map.remove(*field).is_some());
    }
    let Some(child) = map.get_mut(*field) else {
        return 0;
    };
    if *is_list {
        let Value::Array(items) = child else {
            return 0;
        };
        if rest.is_empty() {
            // `a[]` as the last segment: blank the whole list.
            let n = usize::from(!items.is_empty());
            items.clear();
            return n;
        }
        items
            .iter_mut()
            .map(|item| remove_segments(item, rest))
            .sum()
    } else {
        remove_segments(child, rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn removes_in_every_element() {
        let mut v = json!({"outputs": [
            {"data": {"concepts": [1], "colors": [2]}, "model": {"id": "m"}},
            {"data": {}},
            {"model": {"id": "m"}}
        ]});
        assert_eq!(remove_path(&mut v, "outputs[].data.concepts"), 1);
        assert_eq!(remove_path(&mut v, "outputs[].model"), 2);
        assert_eq!(
            v,
            json!({"outputs": [{"data": {"colors": [2]}}, {"data": {}}, {}]})
        );
        assert_eq!(remove_path(&mut v, "hits[].input"), 0);
        let mut m = json!({"model": {"output_info": {"data": {"concepts": []}}}});
        assert_eq!(remove_path(&mut m, "model.output_info.data.concepts"), 1);
        assert_eq!(m, json!({"model": {"output_info": {"data": {}}}}));
    }
}
