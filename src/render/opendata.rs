//! Open data of an edition: `data/<edition>/<indicator>.csv` and `.json` per indicator, and a
//! Frictionless `datapackage.json`. Language-neutral: texts carry every language.

use std::collections::BTreeMap;

use crate::model::{Indicator, Site};

/// Open data of one edition: `<indicator>.csv`, `<indicator>.json`, `datapackage.json`
/// (Frictionless). Paths relative to the site root.
pub(crate) fn files(site: &Site, edition: usize) -> Vec<(String, Vec<u8>)> {
    let ed = &site.editions[edition];
    let inds: Vec<&Indicator> = site
        .indicators
        .iter()
        .filter(|i| i.edition == edition)
        .collect();
    if inds.is_empty() {
        return Vec::new();
    }
    let mut files = Vec::new();
    let mut resources = Vec::new();
    for ind in &inds {
        let mut csv = String::from("edition,indicator,dimension,member,option,value,n\n");
        let dim = ind.breakdown.as_ref().map_or("", |d| d.id.as_str());
        for row in &ind.rows {
            for (c, v) in row.values.iter().enumerate() {
                let option = ind.options.get(c).map_or("", |o| o.id.as_str());
                csv.push_str(&format!(
                    "{},{},{},{},{},{},{}\n",
                    ed.id,
                    ind.id,
                    dim,
                    row.member.as_deref().unwrap_or(""),
                    option,
                    v.map(|v| v.to_string()).unwrap_or_default(),
                    row.n
                        .or(if ind.breakdown.is_none() { ind.n } else { None })
                        .map(|n| n.to_string())
                        .unwrap_or_default()
                ));
            }
        }
        files.push((format!("data/{}/{}.csv", ed.id, ind.id), csv.into_bytes()));
        let json = serde_json::json!({
            "edition": ed.id,
            "edition_version": ed.meta.version.value,
            "id": ind.id,
            "question": ind.question.values,
            "kind": ind.kind,
            "unit": ind.unit,
            "options": ind.options.iter().map(|o| serde_json::json!({"id": o.id, "label": o.label.values})).collect::<Vec<_>>(),
            "breakdown": ind.breakdown.as_ref().map(|d| serde_json::json!({
                "id": d.id, "label": d.label.values,
                "members": d.members.iter().map(|m| serde_json::json!({"id": m.id, "label": m.label.values})).collect::<Vec<_>>(),
            })),
            "rows": ind.rows.iter().map(|r| serde_json::json!({
                "member": r.member,
                "values": ind.options.iter().enumerate().map(|(c, o)| (o.id.clone(), r.values.get(c).copied().flatten())).collect::<BTreeMap<_, _>>(),
                "n": r.n,
            })).collect::<Vec<_>>(),
            "n": ind.n,
            "source": ind.source.as_ref().map(|s| &s.values),
            "note": ind.note.as_ref().map(|s| &s.values),
            "aggregated_from_responses": ind.aggregated,
        });
        files.push((format!("data/{}/{}.json", ed.id, ind.id), pretty(&json)));
        resources.push(serde_json::json!({
            "name": ind.id,
            "path": format!("{}.csv", ind.id),
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "title": site.localize(&ind.question, &site.default_language).text,
            "schema": {"fields": [
                {"name": "edition", "type": "string"},
                {"name": "indicator", "type": "string"},
                {"name": "dimension", "type": "string"},
                {"name": "member", "type": "string"},
                {"name": "option", "type": "string"},
                {"name": "value", "type": "number"},
                {"name": "n", "type": "integer"}
            ]}
        }));
    }
    let package = serde_json::json!({
        "name": ed.id,
        "title": site.localize(&ed.meta.title, &site.default_language).text,
        "version": ed.meta.version.value,
        "resources": resources,
    });
    files.push((format!("data/{}/datapackage.json", ed.id), pretty(&package)));
    files
}

fn pretty(v: &serde_json::Value) -> Vec<u8> {
    let mut out = serde_json::to_vec_pretty(v).unwrap_or_default();
    out.push(b'\n');
    out
}
