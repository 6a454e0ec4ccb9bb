//! A small multinomial logistic regression, for benchmark tasks that are scored with folds
//! (METER's document classes): train on some folds, predict the held-out one.
//!
//! Features are standardised with the training rows' mean and deviation; classes are
//! weighted by inverse frequency (so a rare class is not ignored when macro-F1 is scored);
//! the loss has an L2 penalty. Training is plain full-batch gradient descent from zero
//! weights for a fixed number of steps, so the same rows always give the same model.

/// A trained model.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    mean: Vec<f64>,
    scale: Vec<f64>,
    /// One row per class: bias, then one weight per feature.
    weights: Vec<Vec<f64>>,
}

/// Training settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// L2 penalty on the (standardised) feature weights, per training row.
    pub l2: f64,
    /// Gradient steps.
    pub steps: usize,
    /// Step size.
    pub rate: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            l2: 0.01,
            steps: 3000,
            rate: 0.5,
        }
    }
}

fn softmax(z: &mut [f64]) {
    let max = z.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let mut sum = 0.0;
    for v in z.iter_mut() {
        *v = (*v - max).exp();
        sum += *v;
    }
    for v in z.iter_mut() {
        *v /= sum;
    }
}

impl Model {
    /// Fit `classes` classes to rows `x` (all the same length) with labels `y` (< classes).
    /// Returns `None` when there are no rows or a label is out of range.
    pub fn fit(x: &[Vec<f64>], y: &[usize], classes: usize, s: Settings) -> Option<Model> {
        let n = x.len();
        let d = x.first()?.len();
        if n != y.len() || y.iter().any(|&c| c >= classes) || x.iter().any(|r| r.len() != d) {
            return None;
        }
        let mean: Vec<f64> = (0..d)
            .map(|k| x.iter().map(|r| r[k]).sum::<f64>() / n as f64)
            .collect();
        let scale: Vec<f64> = (0..d)
            .map(|k| {
                let var = x.iter().map(|r| (r[k] - mean[k]).powi(2)).sum::<f64>() / n as f64;
                if var > 0.0 {
                    var.sqrt()
                } else {
                    1.0
                }
            })
            .collect();
        let z: Vec<Vec<f64>> = x
            .iter()
            .map(|r| (0..d).map(|k| (r[k] - mean[k]) / scale[k]).collect())
            .collect();
        let mut count = vec![0usize; classes];
        for &c in y {
            count[c] += 1;
        }
        let present = count.iter().filter(|&&c| c > 0).count().max(1);
        let class_weight: Vec<f64> = count
            .iter()
            .map(|&c| {
                if c == 0 {
                    0.0
                } else {
                    n as f64 / (present * c) as f64
                }
            })
            .collect();
        let mut model = Model {
            mean,
            scale,
            weights: vec![vec![0.0; d + 1]; classes],
        };
        let mut grad = vec![vec![0.0; d + 1]; classes];
        let mut p = vec![0.0; classes];
        for _ in 0..s.steps {
            for g in grad.iter_mut() {
                g.iter_mut().for_each(|v| *v = 0.0);
            }
            for (row, &label) in z.iter().zip(y) {
                model.scores_into(row, &mut p);
                softmax(&mut p);
                let w = class_weight[label];
                for (c, g) in grad.iter_mut().enumerate() {
                    let err = w * (p[c] - f64::from(u8::from(c == label)));
                    g[0] += err;
                    for k in 0..d {
                        g[k + 1] += err * row[k];
                    }
                }
            }
            for (w, g) in model.weights.iter_mut().zip(&grad) {
                w[0] -= s.rate * g[0] / n as f64;
                for k in 1..=d {
                    w[k] -= s.rate * (g[k] / n as f64 + s.l2 * w[k]);
                }
            }
        }
        Some(model)
    }

    fn scores_into(&self, standardised: &[f64], out: &mut [f64]) {
        for (o, w) in out.iter_mut().zip(&self.weights) {
            *o = w[0]
                + standardised
                    .iter()
                    .zip(&w[1..])
                    .map(|(a, b)| a * b)
                    .sum::<f64>();
        }
    }

    /// Class probabilities of one row.
    pub fn probabilities(&self, row: &[f64]) -> Vec<f64> {
        let z: Vec<f64> = row
            .iter()
            .zip(self.mean.iter().zip(&self.scale))
            .map(|(v, (m, s))| (v - m) / s)
            .collect();
        let mut p = vec![0.0; self.weights.len()];
        self.scores_into(&z, &mut p);
        softmax(&mut p);
        p
    }

    /// The most probable class of one row (the lowest index on a tie).
    pub fn predict(&self, row: &[f64]) -> usize {
        let p = self.probabilities(row);
        let mut best = 0;
        for (c, &v) in p.iter().enumerate() {
            if v > p[best] {
                best = c;
            }
        }
        best
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separable_classes_are_learned_and_probabilities_sum_to_one() {
        // Three classes along one feature, the second feature is noise.
        let x: Vec<Vec<f64>> = (0..30)
            .map(|i| vec![f64::from(i / 10) * 5.0 + f64::from(i % 3), f64::from(i % 7)])
            .collect();
        let y: Vec<usize> = (0..30).map(|i| i / 10).collect();
        let m = Model::fit(&x, &y, 3, Settings::default()).expect("valid rows");
        let right = x.iter().zip(&y).filter(|(r, &c)| m.predict(r) == c).count();
        assert_eq!(right, 30);
        let p = m.probabilities(&[0.0, 3.0]);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(p[0] > 0.9, "{p:?}");
    }

    #[test]
    fn training_is_deterministic_and_rejects_bad_input() {
        let x = vec![vec![0.0], vec![1.0], vec![2.0], vec![3.0]];
        let y = vec![0, 0, 1, 1];
        let a = Model::fit(&x, &y, 2, Settings::default());
        assert_eq!(a, Model::fit(&x, &y, 2, Settings::default()));
        assert!(Model::fit(&x, &[0, 0, 1, 2], 2, Settings::default()).is_none());
        assert!(Model::fit(&[], &[], 2, Settings::default()).is_none());
        // A rare class still wins its own region (inverse-frequency weights).
        let x: Vec<Vec<f64>> = (0..20).map(|i| vec![f64::from(i)]).collect();
        let y: Vec<usize> = (0..20).map(|i| usize::from(i >= 18)).collect();
        let m = Model::fit(&x, &y, 2, Settings::default()).expect("valid rows");
        assert_eq!(m.predict(&[19.0]), 1);
        assert_eq!(m.predict(&[2.0]), 0);
    }
}
