//! The optimisers' update rules on a 2-D ill-conditioned quadratic
//! `f(x, y) = (x² + κ·y²) / 2` (κ = [`KAPPA`]), in plain `f64`: the same formulas as Burn's
//! optimisers with PyTorch's conventions (see [`crate::optimizer`]) — Polyak 1964 (momentum),
//! Nesterov 1983 (as in Sutskever et al. 2013), Duchi, Hazan & Singer 2011 (AdaGrad), Hinton's
//! RMSProp (Coursera lecture 6e), Kingma & Ba 2015 (Adam), Loshchilov & Hutter 2019 (AdamW).

/// Curvature ratio of the steep (y) to the flat (x) direction.
pub const KAPPA: f64 = 20.0;
/// Where every trajectory starts.
pub const START: (f64, f64) = (-8.0, 2.0);

/// The function.
pub fn f(p: (f64, f64)) -> f64 {
    0.5 * (p.0 * p.0 + KAPPA * p.1 * p.1)
}

fn grad(p: (f64, f64)) -> (f64, f64) {
    (p.0, KAPPA * p.1)
}

/// An update rule with its hyper-parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// θ ← θ − η·g.
    Sgd,
    /// v ← μ·v + g, θ ← θ − η·v.
    Momentum(f64),
    /// v ← μ·v + g, θ ← θ − η·(g + μ·v).
    Nesterov(f64),
    /// Adam, β = (0.9, 0.999), ε = 1e-8.
    Adam,
    /// AdamW with decoupled decay λ.
    AdamW(f64),
    /// RMSProp, α = 0.99, ε = 1e-8.
    RmsProp,
    /// AdaGrad, ε = 1e-10.
    AdaGrad,
}

/// The points visited by `steps` updates of `rule` at learning rate `lr`, `START` first.
pub fn trajectory(rule: Rule, lr: f64, steps: usize) -> Vec<(f64, f64)> {
    let mut p = [START.0, START.1];
    let mut v = [0.0; 2];
    let mut s = [0.0; 2];
    let mut out = vec![START];
    for t in 1..=steps {
        let g = grad((p[0], p[1]));
        let g = [g.0, g.1];
        for k in 0..2 {
            match rule {
                Rule::Sgd => p[k] -= lr * g[k],
                Rule::Momentum(mu) => {
                    v[k] = mu * v[k] + g[k];
                    p[k] -= lr * v[k];
                }
                Rule::Nesterov(mu) => {
                    v[k] = mu * v[k] + g[k];
                    p[k] -= lr * (g[k] + mu * v[k]);
                }
                Rule::Adam | Rule::AdamW(_) => {
                    if let Rule::AdamW(decay) = rule {
                        p[k] -= lr * decay * p[k];
                    }
                    v[k] = 0.9 * v[k] + 0.1 * g[k];
                    s[k] = 0.999 * s[k] + 0.001 * g[k] * g[k];
                    let m_hat = v[k] / (1.0 - 0.9f64.powi(t as i32));
                    let s_hat = s[k] / (1.0 - 0.999f64.powi(t as i32));
                    p[k] -= lr * m_hat / (s_hat.sqrt() + 1e-8);
                }
                Rule::RmsProp => {
                    s[k] = 0.99 * s[k] + 0.01 * g[k] * g[k];
                    p[k] -= lr * g[k] / (s[k].sqrt() + 1e-8);
                }
                Rule::AdaGrad => {
                    s[k] += g[k] * g[k];
                    p[k] -= lr * g[k] / (s[k].sqrt() + 1e-10);
                }
            }
        }
        out.push((p[0], p[1]));
    }
    out
}

/// The first step at which `f` falls below `tol`, if any.
pub fn steps_to(path: &[(f64, f64)], tol: f64) -> Option<usize> {
    path.iter().position(|&p| f(p) < tol)
}

/// Σ|Δy| / |y₀|: how far the trajectory travels along the steep direction, relative to the
/// distance it has to cover (1 = straight in, larger = zig-zag).
pub fn steep_travel(path: &[(f64, f64)]) -> f64 {
    let travel: f64 = path.windows(2).map(|w| (w[1].1 - w[0].1).abs()).sum();
    travel / START.1.abs()
}

/// Sign changes of y along the path (oscillations across the valley).
pub fn crossings(path: &[(f64, f64)]) -> usize {
    path.windows(2).filter(|w| w[0].1 * w[1].1 < 0.0).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sgd_contracts_each_direction_by_one_minus_lr_times_curvature() {
        let path = trajectory(Rule::Sgd, 0.09, 3);
        let (x, y) = path[3];
        assert!((x - START.0 * 0.91f64.powi(3)).abs() < 1e-12);
        assert!((y - START.1 * (1.0 - 0.09 * KAPPA).powi(3)).abs() < 1e-12);
    }

    #[test]
    fn first_adam_step_moves_each_coordinate_by_lr() {
        let (x, y) = trajectory(Rule::Adam, 0.1, 1)[1];
        assert!((x - (START.0 + 0.1)).abs() < 1e-6);
        assert!((y - (START.1 - 0.1)).abs() < 1e-6);
    }
}
