//! The statistics of survey figures, as published (formulas in `docs/FORMAT.md`):
//!
//! - Kish's effective sample size of weighted respondents, n_eff = (Σw)² / Σw²;
//! - the Wilson score interval of a share, on n_eff;
//! - the weighted mean with its linearised (design-based) interval, Student's t on n − 1
//!   degrees of freedom;
//! - weighted median and quartiles (inverse of the weighted distribution function, averaging
//!   at an exact tie, so that without weights it is the usual median);
//! - the quantiles of the normal (Wichura's AS 241) and Student's t distributions.
//!
//! Pure functions of numbers: the tests in `tests/indicators.rs` check them against an
//! independent implementation and published values.

/// Sums over a group of respondents: how many, Σw and Σw².
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Sums {
    pub n: u64,
    pub w: f64,
    pub w2: f64,
}

impl Sums {
    #[inline]
    pub fn add(&mut self, w: f64) {
        self.n += 1;
        self.w += w;
        self.w2 += w * w;
    }

    pub fn merge(&mut self, o: &Sums) {
        self.n += o.n;
        self.w += o.w;
        self.w2 += o.w2;
    }

    /// Kish's effective sample size (Σw)² / Σw²; `n` itself without weights.
    pub fn n_eff(&self) -> f64 {
        if self.w2 > 0.0 {
            self.w * self.w / self.w2
        } else {
            0.0
        }
    }
}

/// The `p` quantile of the standard normal distribution (Wichura 1988, algorithm AS 241,
/// about 16 significant digits).
pub fn normal_quantile(p: f64) -> f64 {
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let q = p - 0.5;
    if q.abs() <= 0.425 {
        let r = 0.180625 - q * q;
        return q * poly(
            r,
            &[
                3.387_132_872_796_366_5,
                133.141_667_891_784_38,
                1_971.590_950_306_551_3,
                13_731.693_765_509_46,
                45_921.953_931_549_87,
                67_265.770_927_008_7,
                33_430.575_583_588_13,
                2_509.080_928_730_122_7,
            ],
        ) / poly(
            r,
            &[
                1.0,
                42.313_330_701_600_91,
                687.187_007_492_057_9,
                5_394.196_021_424_751,
                21_213.794_301_586_597,
                39_307.895_800_092_71,
                28_729.085_735_721_943,
                5_226.495_278_852_545,
            ],
        );
    }
    let mut r = if q < 0.0 { p } else { 1.0 - p };
    r = (-r.ln()).sqrt();
    let x = if r <= 5.0 {
        let r = r - 1.6;
        poly(
            r,
            &[
                1.423_437_110_749_683_5,
                4.630_337_846_156_546,
                5.769_497_221_460_691,
                3.647_848_324_763_204_5,
                1.270_458_252_452_368_4,
                0.241_780_725_177_450_6,
                0.022_723_844_989_269_184,
                7.745_450_142_783_414e-4,
            ],
        ) / poly(
            r,
            &[
                1.0,
                2.053_191_626_637_759,
                1.676_384_830_183_803_8,
                0.689_767_334_985_1,
                0.148_103_976_427_480_08,
                0.015_198_666_563_616_457,
                5.475_938_084_995_345e-4,
                1.050_750_071_644_416_9e-9,
            ],
        )
    } else {
        let r = r - 5.0;
        poly(
            r,
            &[
                6.657_904_643_501_103,
                5.463_784_911_164_114,
                1.784_826_539_917_291_3,
                0.296_560_571_828_504_87,
                0.026_532_189_526_576_124,
                0.001_242_660_947_388_078_4,
                2.711_555_568_743_487_6e-5,
                2.010_334_399_292_288_1e-7,
            ],
        ) / poly(
            r,
            &[
                1.0,
                0.599_832_206_555_888,
                0.136_929_880_922_735_8,
                0.014_875_361_290_850_615,
                7.868_691_311_456_133e-4,
                1.846_318_317_510_054_8e-5,
                1.421_511_758_316_446e-7,
                2.044_263_103_389_939_7e-15,
            ],
        )
    };
    if q < 0.0 { -x } else { x }
}

/// Evaluates c[0] + c[1] r + … (Horner).
fn poly(r: f64, c: &[f64]) -> f64 {
    c.iter().rev().fold(0.0, |acc, &k| acc * r + k)
}

/// ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 digits).
fn ln_gamma(x: f64) -> f64 {
    const G: [f64; 9] = [
        0.999_999_999_999_809_9,
        676.520_368_121_885_1,
        -1_259.139_216_722_402_8,
        771.323_428_777_653_1,
        -176.615_029_162_140_6,
        12.507_343_278_686_905,
        -0.138_571_095_265_720_12,
        9.984_369_578_019_572e-6,
        1.505_632_735_149_311_6e-7,
    ];
    if x < 0.5 {
        // Reflection.
        let pi = std::f64::consts::PI;
        return (pi / (pi * x).sin()).ln() - ln_gamma(1.0 - x);
    }
    let x = x - 1.0;
    let mut a = G[0];
    let t = x + 7.5;
    for (i, g) in G.iter().enumerate().skip(1) {
        a += g / (x + i as f64);
    }
    0.5 * (2.0 * std::f64::consts::PI).ln() + (x + 0.5) * t.ln() - t + a.ln()
}

/// The regularised incomplete beta function I_x(a, b) (continued fraction, modified Lentz).
fn incomplete_beta(x: f64, a: f64, b: f64) -> f64 {
    if x <= 0.0 {
        return 0.0;
    }
    if x >= 1.0 {
        return 1.0;
    }
    let front =
        (ln_gamma(a + b) - ln_gamma(a) - ln_gamma(b) + a * x.ln() + b * (1.0 - x).ln()).exp();
    // The fraction converges fast for x < (a + 1) / (a + b + 2); use the symmetry otherwise.
    if x > (a + 1.0) / (a + b + 2.0) {
        return 1.0 - incomplete_beta(1.0 - x, b, a);
    }
    const TINY: f64 = 1e-300;
    let mut c = 1.0;
    let mut d = 1.0 - (a + b) * x / (a + 1.0);
    if d.abs() < TINY {
        d = TINY;
    }
    d = 1.0 / d;
    let mut f = d;
    for m in 1..300 {
        let m = f64::from(m);
        // Even step.
        let num = m * (b - m) * x / ((a + 2.0 * m - 1.0) * (a + 2.0 * m));
        d = 1.0 + num * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + num / c;
        if c.abs() < TINY {
            c = TINY;
        }
        f *= d * c;
        // Odd step.
        let num = -(a + m) * (a + b + m) * x / ((a + 2.0 * m) * (a + 2.0 * m + 1.0));
        d = 1.0 + num * d;
        d = if d.abs() < TINY { 1.0 / TINY } else { 1.0 / d };
        c = 1.0 + num / c;
        if c.abs() < TINY {
            c = TINY;
        }
        let delta = d * c;
        f *= delta;
        if (delta - 1.0).abs() < 1e-15 {
            break;
        }
    }
    front * f / a
}

/// P(T ≤ t) for Student's t with `df` degrees of freedom.
pub fn t_cdf(t: f64, df: f64) -> f64 {
    let x = df / (df + t * t);
    let tail = 0.5 * incomplete_beta(x, df / 2.0, 0.5);
    if t >= 0.0 { 1.0 - tail } else { tail }
}

/// The `p` quantile of Student's t with `df` degrees of freedom (Newton's method on
/// [`t_cdf`] from the normal quantile, bisection as a safeguard).
pub fn t_quantile(p: f64, df: f64) -> f64 {
    if !(p > 0.0 && p < 1.0) || df <= 0.0 {
        return f64::NAN;
    }
    if df > 1e7 {
        return normal_quantile(p);
    }
    if p < 0.5 {
        return -t_quantile(1.0 - p, df);
    }
    // Bracket [0, hi] with P(T ≤ hi) ≥ p.
    let mut hi = normal_quantile(p).max(1.0);
    while t_cdf(hi, df) < p {
        hi *= 2.0;
    }
    let (mut lo, mut x) = (0.0, normal_quantile(p));
    for _ in 0..200 {
        let f = t_cdf(x, df) - p;
        if f.abs() < 1e-15 {
            break;
        }
        if f < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let pdf = (ln_gamma((df + 1.0) / 2.0)
            - ln_gamma(df / 2.0)
            - 0.5 * (df * std::f64::consts::PI).ln()
            - (df + 1.0) / 2.0 * (1.0 + x * x / df).ln())
        .exp();
        let next = x - f / pdf;
        x = if next > lo && next < hi {
            next
        } else {
            (lo + hi) / 2.0
        };
        if hi - lo < 1e-14 {
            break;
        }
    }
    x
}

/// The two-sided critical value of the normal distribution for `confidence` (1.96 for 0.95).
pub fn z_of(confidence: f64) -> f64 {
    normal_quantile((1.0 + confidence) / 2.0)
}

/// The Wilson score interval of a proportion `p` (0–1) observed on `n` (effective)
/// respondents, with critical value `z`.
pub fn wilson(p: f64, n: f64, z: f64) -> (f64, f64) {
    if n <= 0.0 {
        return (0.0, 1.0);
    }
    let z2 = z * z;
    let denom = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denom;
    let half = z / denom * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).max(0.0).sqrt();
    ((centre - half).max(0.0), (centre + half).min(1.0))
}

/// Weighted mean of `(value, weight)` pairs and its interval at `confidence`: the linearised
/// variance n/(n−1) · Σ w²(x − m)² / (Σw)², Student's t on n − 1 degrees of freedom. `None`
/// for the interval with fewer than two respondents.
pub fn mean_ci(values: &[(f64, f64)], confidence: f64) -> Option<(f64, Option<(f64, f64)>)> {
    let sw: f64 = values.iter().map(|v| v.1).sum();
    if values.is_empty() || sw <= 0.0 {
        return None;
    }
    let mean = values.iter().map(|(x, w)| x * w).sum::<f64>() / sw;
    let n = values.len() as f64;
    if values.len() < 2 {
        return Some((mean, None));
    }
    let ss: f64 = values
        .iter()
        .map(|(x, w)| w * w * (x - mean) * (x - mean))
        .sum();
    let var = n / (n - 1.0) * ss / (sw * sw);
    let t = t_quantile((1.0 + confidence) / 2.0, n - 1.0);
    let half = t * var.sqrt();
    Some((mean, Some((mean - half, mean + half))))
}

/// The weighted `q` quantile (0–1) of `(value, weight)` pairs sorted by value: the smallest
/// value whose cumulated weight reaches q·Σw, the mean of it and the next when the cumulated
/// weight is exactly q·Σw. Without weights (all 1) the median is the usual one.
pub fn weighted_quantile(sorted: &[(f64, f64)], q: f64) -> Option<f64> {
    let total: f64 = sorted.iter().map(|v| v.1).sum();
    if sorted.is_empty() || total <= 0.0 {
        return None;
    }
    let target = q * total;
    let eps = total * 1e-12;
    let mut cum = 0.0;
    for (i, &(x, w)) in sorted.iter().enumerate() {
        cum += w;
        if (cum - target).abs() <= eps && w > 0.0 {
            // Exactly on the boundary: average with the next value carrying weight.
            let next = sorted[i + 1..]
                .iter()
                .find(|v| v.1 > 0.0)
                .map_or(x, |v| v.0);
            return Some((x + next) / 2.0);
        }
        if cum > target {
            return Some(x);
        }
    }
    sorted.iter().rev().find(|v| v.1 > 0.0).map(|v| v.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normal_and_t_quantiles_match_tables() {
        assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-12);
        assert!((normal_quantile(0.995) - 2.575_829_303_548_901).abs() < 1e-12);
        assert!((normal_quantile(0.5)).abs() < 1e-15);
        assert!((normal_quantile(1e-10) + 6.361_340_902_404_056).abs() < 1e-9);
        // Student's t: 97.5 % quantiles from the tables.
        for (df, t) in [
            (1.0, 12.706_204_736_174_7),
            (2.0, 4.302_652_729_749_46),
            (9.0, 2.262_157_162_798_2),
            (29.0, 2.045_229_642_132_7),
            (120.0, 1.979_930_405_052_5),
        ] {
            assert!((t_quantile(0.975, df) - t).abs() < 1e-9, "df {df}");
        }
    }

    #[test]
    fn wilson_matches_newcombe() {
        // Newcombe (1998), Statistics in Medicine 17, table II: 81/263 → 0.2553 to 0.3662.
        let (lo, hi) = wilson(81.0 / 263.0, 263.0, z_of(0.95));
        assert!(
            (lo - 0.2553).abs() < 5e-5 && (hi - 0.3662).abs() < 5e-5,
            "{lo} {hi}"
        );
        // 0/10 → 0 to 0.2775.
        let (lo, hi) = wilson(0.0, 10.0, z_of(0.95));
        assert!(lo.abs() < 1e-12 && (hi - 0.2775).abs() < 5e-5, "{lo} {hi}");
    }

    #[test]
    fn weighted_quantiles_without_weights_are_the_usual_ones() {
        let v: Vec<(f64, f64)> = [1.0, 2.0, 3.0, 4.0].iter().map(|&x| (x, 1.0)).collect();
        assert_eq!(weighted_quantile(&v, 0.5), Some(2.5));
        let v: Vec<(f64, f64)> = [1.0, 2.0, 3.0].iter().map(|&x| (x, 1.0)).collect();
        assert_eq!(weighted_quantile(&v, 0.5), Some(2.0));
        // Weight 3 on 1: the median is 1.
        assert_eq!(weighted_quantile(&[(1.0, 3.0), (5.0, 1.0)], 0.5), Some(1.0));
        let s = Sums {
            n: 2,
            w: 4.0,
            w2: 10.0,
        };
        assert!((s.n_eff() - 1.6).abs() < 1e-12);
    }
}
