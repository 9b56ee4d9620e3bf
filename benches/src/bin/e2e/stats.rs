//! Medians and ranges of samples.

/// The median, minimum and maximum of some samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The middle value (the mean of the two middle ones for an even count).
    pub median: f64,
    /// The smallest.
    pub min: f64,
    /// The largest.
    pub max: f64,
}

/// Summarises `values`; all zeros when there are none.
pub fn summary(values: impl IntoIterator<Item = f64>) -> Summary {
    let mut sorted: Vec<f64> = values.into_iter().collect();
    sorted.sort_by(f64::total_cmp);
    let (Some(&min), Some(&max)) = (sorted.first(), sorted.last()) else {
        return Summary {
            median: 0.0,
            min: 0.0,
            max: 0.0,
        };
    };
    let middle = sorted.len() / 2;
    let median = if sorted.len().is_multiple_of(2) {
        (sorted[middle - 1] + sorted[middle]) / 2.0
    } else {
        sorted[middle]
    };
    Summary { median, min, max }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(summary([3.0, 1.0, 2.0]).median, 2.0);
        assert_eq!(summary([4.0, 1.0, 3.0, 2.0]).median, 2.5);
        let s = summary([5.0, 1.0, 9.0]);
        assert_eq!((s.min, s.max), (1.0, 9.0));
        assert_eq!(summary([]).median, 0.0);
    }
}
