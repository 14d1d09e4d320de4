//! Survey statistics at scale: 1,000,000 response rows (a sector and a region column, a weight
//! column, 20 questions: yes/no with « ne sait pas », Likert, multi-select in one column and in
//! 0/1 columns, numeric with decimal commas, counts) laid out as a project, and the 20
//! indicators built from it the way `build` does (load, validate, model: every share with its
//! Wilson interval on n_eff, every mean with its interval, medians and quartiles, per member of
//! two breakdowns, their crosstab and the total). Reference in the same run: a bare `csv` read
//! of the same bytes (the floor any CSV-based aggregation pays). `cargo bench --bench aggregate`.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::Path;
use std::time::Instant;

use barometre::internals::{Answer, Breakdown, Spec, aggregate};

const ROWS: usize = 1_000_000;
const SECTORS: [&str; 4] = ["public", "prive", "associatif", "cooperatif"];
const REGIONS: [&str; 12] = [
    "r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09", "r10", "r11", "r12",
];

/// The 20 questions: (column, kind).
fn questions() -> Vec<(String, &'static str)> {
    let kinds = ["share", "likert", "multi", "multi-columns", "numeric"];
    (0..20)
        .map(|i| (format!("q{i:02}"), kinds[i % kinds.len()]))
        .collect()
}

struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
}

fn corpus() -> Vec<u8> {
    let qs = questions();
    let mut out = String::with_capacity(ROWS * 110);
    out.push_str("id,secteur,region,poids");
    for (col, kind) in &qs {
        if *kind == "multi-columns" {
            for o in ["a", "b", "c"] {
                let _ = write!(out, ",{col}_{o}");
            }
        } else {
            let _ = write!(out, ",{col}");
        }
    }
    out.push('\n');
    let mut r = Lcg(42);
    for i in 0..ROWS {
        let w = 0.5 + (r.next() % 100) as f64 / 100.0;
        let _ = write!(
            out,
            "{i},{},{},\"{}\"",
            SECTORS[r.next() as usize % 4],
            REGIONS[r.next() as usize % 12],
            format!("{w:.2}").replace('.', ",")
        );
        for (_, kind) in &qs {
            let x = r.next();
            match *kind {
                "share" => out.push_str([",Oui", ",Non", ",Ne sait pas", ","][x as usize % 4]),
                "likert" => {
                    let _ = write!(out, ",{}", x % 5 + 1);
                }
                "multi" => out.push_str([",a b", ",b", ",a c", ",", ",c b a"][x as usize % 5]),
                "multi-columns" => {
                    let _ = write!(out, ",{},{},{}", x & 1, (x >> 1) & 1, (x >> 2) & 1);
                }
                _ => {
                    let _ = write!(out, ",\"{},{}\"", x % 5000, x % 10);
                }
            }
        }
        out.push('\n');
    }
    out.into_bytes()
}

fn indicators_yaml(qs: &[(String, &str)]) -> String {
    let mut y = String::new();
    let options = |ids: &[&str]| -> String {
        ids.iter()
            .map(|o| format!("\n      - {{id: \"{o}\", label: {{fr: \"{o}\", ar: \"{o}\"}}}}"))
            .collect()
    };
    for (col, kind) in qs {
        let _ = write!(
            y,
            "- id: i-{col}\n  question: {{fr: \"Question {col}\", ar: \"سؤال {col}\"}}\n  breakdowns: [secteur, region]\n"
        );
        let resp = "  responses:\n    file: reponses.csv\n    weight_column: poids\n    breakdown_columns: {secteur: secteur, region: region}\n";
        match *kind {
            "share" => {
                let _ = write!(
                    y,
                    "  kind: share\n  options:{}\n{resp}    column: {col}\n    answers: {{Oui: oui, Non: non, Ne sait pas: nsp}}\n    exclude: [nsp]\n",
                    options(&["oui", "non", "nsp"])
                );
            }
            "likert" => {
                let _ = write!(
                    y,
                    "  kind: likert\n  neutral: \"3\"\n  options:{}\n{resp}    column: {col}\n",
                    options(&["1", "2", "3", "4", "5"])
                );
            }
            "multi" => {
                let _ = write!(
                    y,
                    "  kind: multi\n  options:{}\n{resp}    column: {col}\n    separator: \" \"\n",
                    options(&["a", "b", "c"])
                );
            }
            "multi-columns" => {
                let _ = write!(
                    y,
                    "  kind: multi\n  options:{}\n{resp}    columns: {{a: {col}_a, b: {col}_b, c: {col}_c}}\n",
                    options(&["a", "b", "c"])
                );
            }
            _ => {
                let _ = write!(y, "  kind: numeric\n  unit: dh\n{resp}    column: {col}\n");
            }
        }
    }
    y
}

fn project(dir: &Path, data: &[u8], qs: &[(String, &str)]) {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    for entry in walkdir::WalkDir::new(repo.join("themes/default")) {
        let entry = entry.unwrap();
        let rel = entry.path().strip_prefix(repo).unwrap();
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(dir.join(rel)).unwrap();
        } else {
            std::fs::copy(entry.path(), dir.join(rel)).unwrap();
        }
    }
    let site = "title: {fr: Banc, ar: اختبار}\ndefault_language: fr\nlanguages:\n  - {code: fr, name: Français}\n  - {code: ar, name: العربية, locale: ar-MA, dir: rtl}\ntheme: default\n";
    std::fs::write(dir.join("site.yaml"), site).unwrap();
    let ed = dir.join("editions/2025-banc");
    std::fs::create_dir_all(ed.join("data")).unwrap();
    std::fs::write(
        ed.join("edition.yaml"),
        "id: 2025-banc\nkind: barometer-wave\nyear: 2025\nversion: 0.1.0\nstatus: draft\ntitle: {fr: Banc, ar: اختبار}\nsummary: {fr: Banc., ar: اختبار.}\n",
    )
    .unwrap();
    let mut dims = String::from("- id: secteur\n  label: {fr: Secteur, ar: القطاع}\n  members:\n");
    for s in SECTORS {
        let _ = writeln!(dims, "    - {{id: {s}, label: {{fr: {s}, ar: {s}}}}}");
    }
    dims.push_str("- id: region\n  label: {fr: Région, ar: الجهة}\n  members:\n");
    for r in REGIONS {
        let _ = writeln!(dims, "    - {{id: {r}, label: {{fr: {r}, ar: {r}}}}}");
    }
    std::fs::write(ed.join("data/dimensions.yaml"), dims).unwrap();
    std::fs::write(ed.join("data/indicators.yaml"), indicators_yaml(qs)).unwrap();
    std::fs::write(ed.join("data/reponses.csv"), data).unwrap();
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn time(runs: usize, mut f: impl FnMut()) -> f64 {
    median(
        (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .collect(),
    )
}

fn main() {
    let data = corpus();
    let qs = questions();
    let floor = time(5, || {
        let mut r = csv::ReaderBuilder::new().from_reader(data.as_slice());
        let mut rec = csv::ByteRecord::new();
        let mut n = 0usize;
        while r.read_byte_record(&mut rec).unwrap() {
            n += rec.len();
        }
        assert!(n > 0);
    });
    // One indicator's sums alone (one thread): the CSV pass with two breakdowns and their
    // crosstab, weighted.
    let answers = BTreeMap::from([
        ("Oui".to_string(), "oui".to_string()),
        ("Non".to_string(), "non".to_string()),
        ("Ne sait pas".to_string(), "nsp".to_string()),
    ]);
    let none = BTreeMap::new();
    let dims = [
        Breakdown {
            dimension: "secteur",
            column: "secteur",
            members: &SECTORS,
        },
        Breakdown {
            dimension: "region",
            column: "region",
            members: &REGIONS,
        },
    ];
    let sums = time(5, || {
        let spec = Spec {
            answer: Answer::Single("q00"),
            breakdowns: &dims,
            weight_column: Some("poids"),
            options: &["oui", "non", "nsp"],
            excluded: &[false, false, true],
            answers: &answers,
            breakdown_answers: &none,
            missing: &[],
            delimiter: None,
            crosstabs: true,
        };
        let a = aggregate(&data, &spec).unwrap();
        assert!(a.total.base.n > 0);
    });
    // The whole model stage of a project with the 20 indicators, and with one of each kind.
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path(), &data, &qs);
    let opts = barometre::Options::new(tmp.path());
    let all = time(3, || {
        let (site, _) = barometre::internals::load_site(&opts).unwrap();
        assert_eq!(site.indicators.len(), 20);
        assert!(site.indicators.iter().all(|i| i.rows.len() == 17));
    });
    let one = tempfile::tempdir().unwrap();
    project(one.path(), &data, &qs[..5]);
    let opts1 = barometre::Options::new(one.path());
    let five = time(3, || {
        let (site, _) = barometre::internals::load_site(&opts1).unwrap();
        assert_eq!(site.indicators.len(), 5);
    });
    let threads = rayon::current_num_threads();
    println!("rows: {ROWS}, bytes: {}, threads: {threads}", data.len());
    println!("csv read only (floor):                      {floor:.3} s");
    println!(
        "one indicator's sums (share, 2 breakdowns + crosstab, weighted, one thread): {sums:.3} s ({:.2}x floor)",
        sums / floor
    );
    println!(
        "load + model, 5 indicators (one of each kind):   {five:.3} s ({:.3} s per indicator, {:.2}x floor)",
        five / 5.0,
        five / 5.0 / floor
    );
    println!(
        "load + model, 20 indicators, 2 breakdowns, weighted, intervals: {all:.3} s ({:.3} s per indicator, {:.2}x floor)",
        all / 20.0,
        all / 20.0 / floor
    );
}
