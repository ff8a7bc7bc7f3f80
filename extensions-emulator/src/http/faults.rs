//! Fault injection: which rule applies to a request, and the seeded draw that decides what
//! happens to it.

use super::{FaultRule, Shared};

/// xorshift64*: small, seedable, deterministic.
pub(super) struct Rng(pub(super) u64);

impl Rng {
    pub(super) fn next_f64(&mut self) -> f64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// What the fault draw decided.
pub(super) enum Fault {
    None,
    Reset,
    Error(u16),
    CommitThenDrop,
    Garble,
}

impl Shared {
    pub(super) fn rule_for(&self, method: &str, path: &str) -> Option<(usize, &FaultRule)> {
        self.config.faults.rules.iter().enumerate().find(|(_, r)| {
            r.path_prefix.as_deref().is_none_or(|p| path.starts_with(p))
                && (r.methods.is_empty()
                    || r.methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
        })
    }

    pub(super) fn draw(&self, rule: &FaultRule) -> Fault {
        let mut rng = self.rng.lock().unwrap_or_else(|e| e.into_inner());
        let r = rng.next_f64();
        let which = rng.next_f64();
        let mut edge = rule.reset_rate;
        if r < edge {
            return Fault::Reset;
        }
        edge += rule.error_rate;
        if r < edge {
            const DEFAULT: [u16; 4] = [500, 502, 503, 504];
            let codes: &[u16] = if rule.error_statuses.is_empty() {
                &DEFAULT
            } else {
                &rule.error_statuses
            };
            let pick = ((which * codes.len() as f64) as usize).min(codes.len() - 1);
            return Fault::Error(codes[pick]);
        }
        edge += rule.commit_then_drop_rate;
        if r < edge {
            return Fault::CommitThenDrop;
        }
        edge += rule.garble_rate;
        if r < edge {
            return Fault::Garble;
        }
        Fault::None
    }

    /// Whether `rule` (the `index`th) may still inject a fault, counting this one.
    pub(super) fn fault_allowed(&self, index: usize, rule: &FaultRule) -> bool {
        let Some(max) = rule.max_faults else {
            return true;
        };
        let mut counts = self.fault_counts.lock().unwrap_or_else(|e| e.into_inner());
        let n = counts.entry(index).or_insert(0);
        if *n >= max {
            return false;
        }
        *n += 1;
        true
    }
}
