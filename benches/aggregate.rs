//! Aggregating raw survey responses: 1,000,000 rows (id, region, answer, weight) generated in
//! memory, aggregated with and without weights. Reference in the same run: a bare `csv` read
//! of the same bytes (the floor any CSV-based aggregation pays). `cargo bench --bench aggregate`.

use std::collections::BTreeMap;
use std::time::Instant;

use barometre::internals::{Spec, aggregate};

const ROWS: usize = 1_000_000;

fn corpus() -> Vec<u8> {
    let regions = ["nord", "sud", "est", "ouest", "centre"];
    let answers = ["Oui", "Non", "Ne sait pas", ""];
    let mut out = String::with_capacity(ROWS * 24);
    out.push_str("id,region,q1,poids\n");
    // A small linear congruential generator: deterministic without a dependency.
    let mut x: u64 = 42;
    for i in 0..ROWS {
        x = x
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let r = regions[(x >> 33) as usize % regions.len()];
        let a = answers[(x >> 40) as usize % answers.len()];
        let w = 0.5 + ((x >> 50) % 100) as f64 / 100.0;
        out.push_str(&format!("{i},{r},{a},{w}\n"));
    }
    out.into_bytes()
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
    let answers = BTreeMap::from([
        ("Oui".to_string(), "oui".to_string()),
        ("Non".to_string(), "non".to_string()),
        ("Ne sait pas".to_string(), "nsp".to_string()),
    ]);
    let members = ["nord", "sud", "est", "ouest", "centre"];
    let options = ["oui", "non", "nsp"];
    let spec = |weight| Spec {
        column: "q1",
        breakdown_column: Some("region"),
        weight_column: weight,
        options: &options,
        members: &members,
        answers: &answers,
    };
    let floor = time(5, || {
        let mut r = csv::ReaderBuilder::new().from_reader(data.as_slice());
        let mut rec = csv::ByteRecord::new();
        let mut n = 0usize;
        while r.read_byte_record(&mut rec).unwrap() {
            n += rec.len();
        }
        assert!(n > 0);
    });
    let plain = time(5, || {
        let a = aggregate(data.as_slice(), &spec(None)).unwrap();
        assert!(a.n_total > 0);
    });
    let weighted = time(5, || {
        let a = aggregate(data.as_slice(), &spec(Some("poids"))).unwrap();
        assert!(a.n_total > 0);
    });
    println!("rows: {ROWS}, bytes: {}", data.len());
    println!("csv read only (floor):   {:.3} s", floor);
    println!(
        "aggregate, no weights:   {:.3} s  ({:.2}x floor)",
        plain,
        plain / floor
    );
    println!(
        "aggregate, with weights: {:.3} s  ({:.2}x floor)",
        weighted,
        weighted / floor
    );
}
