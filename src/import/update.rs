//! `--update`: an existing school file takes the spreadsheet's values where they
//! differ; every other line, comment and blank line stays as it was written.

use toml_edit::{DocumentMut, Item, Value};

/// One changed field, for the summary: `tenant.admin: old → new`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub field: String,
    /// The value before, or `None` where the file did not have the field.
    pub old: Option<String>,
    pub new: String,
}

/// The tables of a school file whose keys are updated one by one.
const TABLES: [&str; 3] = ["tenant", "contract", "assignment"];

/// `existing` with the values of `imported` (a school file made from a row) where
/// they differ. A field the row leaves empty is kept: a spreadsheet with gaps never
/// deletes what a file says. The licences are one list, replaced as a whole.
pub(crate) fn update(existing: &str, imported: &str) -> Result<(String, Vec<Change>), String> {
    let mut doc: DocumentMut = existing.parse().map_err(|e: toml_edit::TomlError| {
        e.message().lines().next().unwrap_or_default().to_string()
    })?;
    let new: DocumentMut = imported
        .parse()
        .map_err(|e: toml_edit::TomlError| e.to_string())?;
    let mut changes = Vec::new();
    for (key, item) in new.iter() {
        if let Some(value) = item.as_value() {
            set_in(doc.as_table_mut(), key, value, key, &mut changes);
        }
    }
    for name in TABLES {
        let Some(table) = new.get(name).and_then(Item::as_table_like) else {
            continue;
        };
        let target = doc
            .entry(name)
            .or_insert_with(toml_edit::table)
            .as_table_like_mut()
            .ok_or_else(|| format!("`{name}` is not a table"))?;
        for (key, item) in table.iter() {
            if let Some(value) = item.as_value() {
                set_in(target, key, value, &format!("{name}.{key}"), &mut changes);
            }
        }
    }
    licences(&mut doc, &new, &mut changes);
    Ok((doc.to_string(), changes))
}

/// Set `key` to `value` if it differs, keeping the old value's comment and spacing.
fn set_in(
    table: &mut dyn toml_edit::TableLike,
    key: &str,
    value: &Value,
    field: &str,
    changes: &mut Vec<Change>,
) {
    let old = table.get(key).and_then(Item::as_value);
    if old.is_some_and(|old| plain(old) == plain(value)) {
        return;
    }
    let mut value = value.clone();
    value.decor_mut().clear();
    if let Some(old) = old {
        *value.decor_mut() = old.decor().clone();
    }
    changes.push(Change {
        field: field.to_string(),
        old: old.map(plain),
        new: plain(&value),
    });
    // Through the old entry where there is one, so the comment above the key stays.
    match table.get_mut(key) {
        Some(slot) => *slot = Item::Value(value),
        None => {
            table.insert(key, Item::Value(value));
        }
    }
}

/// The `[[licenses]]` list, replaced where it differs, in the place of the old one.
fn licences(doc: &mut DocumentMut, new: &DocumentMut, changes: &mut Vec<Change>) {
    let Some(wanted) = new.get("licenses").and_then(Item::as_array_of_tables) else {
        return;
    };
    let old = doc.get("licenses").and_then(Item::as_array_of_tables);
    let (old_text, position) = match old {
        Some(old) => (
            Some(licence_list(old)),
            old.iter().next().and_then(toml_edit::Table::position),
        ),
        None => (None, None),
    };
    let new_text = licence_list(wanted);
    if old_text.as_deref() == Some(new_text.as_str()) {
        return;
    }
    let mut list = wanted.clone();
    for table in list.iter_mut() {
        table.set_position(position);
    }
    doc.insert("licenses", Item::ArrayOfTables(list));
    changes.push(Change {
        field: "licenses".into(),
        old: old_text,
        new: new_text,
    });
}

fn licence_list(list: &toml_edit::ArrayOfTables) -> String {
    let each: Vec<String> = list
        .iter()
        .map(|t| {
            let product = t.get("product").and_then(Item::as_value).map(plain);
            let quantity = t.get("quantity").and_then(Item::as_value).map(plain);
            format!(
                "{} × {}",
                quantity.unwrap_or_default(),
                product.unwrap_or_default()
            )
        })
        .collect();
    each.join(", ")
}

/// A value without its layout: what is compared, and what the summary shows.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.value().clone(),
        Value::Integer(i) => i.value().to_string(),
        Value::Float(f) => f.value().to_string(),
        Value::Boolean(b) => b.value().to_string(),
        Value::Datetime(d) => d.value().to_string(),
        Value::Array(a) => {
            let items: Vec<String> = a.iter().map(plain).collect();
            format!("[{}]", items.join(", "))
        }
        Value::InlineTable(t) => {
            let items: Vec<String> = t
                .iter()
                .map(|(k, v)| format!("{k} = {}", plain(v)))
                .collect();
            format!("{{{}}}", items.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_differing_fields_change_and_comments_stay() {
        let existing = "# Stand: Mai\nname = \"Alt\" # laut Vertrag\n\n[tenant]\ndomain = \"a.onmicrosoft.com\"\n\n[contract]\nnumber = \"V1\"\n\n[assignment]\nmode = \"manual\"\n";
        let imported = "name = \"Neu\"\n\n[tenant]\ndomain = \"a.onmicrosoft.com\"\nadmin = \"x@a.de\"\n\n[contract]\nnumber = \"V1\"\n\n[assignment]\nmode = \"manual\"\n";
        let Ok((text, changes)) = update(existing, imported) else {
            panic!("update failed");
        };
        assert!(
            text.starts_with("# Stand: Mai\nname = \"Neu\" # laut Vertrag\n"),
            "{text}"
        );
        assert!(text.contains("admin = \"x@a.de\""), "{text}");
        assert_eq!(
            changes,
            vec![
                Change {
                    field: "name".into(),
                    old: Some("Alt".into()),
                    new: "Neu".into()
                },
                Change {
                    field: "tenant.admin".into(),
                    old: None,
                    new: "x@a.de".into()
                },
            ]
        );
    }
}
