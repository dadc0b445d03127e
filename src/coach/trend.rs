//! Robust trend estimates shared by the quality rules (is a dry strap fading?) and the creep
//! watch (is heart rate drifting up?).

/// Theil-Sen slope: the median of the slopes between every pair of points. Unlike least
/// squares, one odd point (a spike, a short hill, a surge) cannot tilt it. `None` for fewer
/// than two distinct x.
pub fn theil_sen_slope(pts: &[(f64, f64)]) -> Option<f64> {
    let mut slopes = Vec::with_capacity(pts.len() * pts.len() / 2);
    for (i, a) in pts.iter().enumerate() {
        for b in &pts[i + 1..] {
            if b.0 != a.0 {
                slopes.push((b.1 - a.1) / (b.0 - a.0));
            }
        }
    }
    median_of(&mut slopes)
}

/// The median (mean of the middle two for an even count); `None` when empty. Reorders `v`.
///
/// By selection, not sorting: linear time, which matters for the creep watch's Theil-Sen
/// slopes (a few hundred pairwise slopes, several windows, every 30 s of every run).
pub fn median_of(v: &mut [f64]) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    let odd = !v.len().is_multiple_of(2);
    let (lower, &mut upper, _) = v.select_nth_unstable_by(v.len() / 2, f64::total_cmp);
    Some(if odd {
        upper
    } else {
        // An even count: the middle two are the largest of the lower half and `upper`.
        let below = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (below + upper) / 2.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_outlier_cannot_tilt_the_slope() {
        let mut pts: Vec<(f64, f64)> = (0..9)
            .map(|i| (f64::from(i), 100.0 + f64::from(i)))
            .collect();
        pts[4].1 = 180.0;
        assert_eq!(theil_sen_slope(&pts), Some(1.0));
        assert_eq!(theil_sen_slope(&pts[..1]), None);
    }

    #[test]
    fn median_of_even_and_odd_counts() {
        assert_eq!(median_of(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median_of(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median_of(&mut []), None);
    }
}
