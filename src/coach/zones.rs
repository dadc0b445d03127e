//! The zone model: which training zone a heart rate falls in.
//!
//! Zones are percentages of maximum heart rate with Garmin's default lower bounds of
//! 50/60/70/80/90 %. Each bound is rounded to a whole bpm, half up, and a heart rate equal to a
//! bound belongs to the zone *above* it (`lower <= bpm < next lower`). That is the convention
//! watches store in FIT files (`hr_zone_high_boundary`): with max HR 191 the bounds are
//! 96/115/134/153/172, and recomputing a Forerunner's time in zone with this rule matches the
//! watch's own figures (see docs/zones-and-alerts.md).
//!
//! Zone 0 means "below zone 1" (under 50 %: standing, walking, a strap still warming up).

use std::fmt;

/// A training zone: 0 (below zone 1) to 5.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Zone(u8);

impl Zone {
    /// Number of zones counted in a summary, zone 0 included.
    pub const COUNT: usize = 6;

    /// The zone number, 0 to 5.
    pub fn number(self) -> u8 {
        self.0
    }

    /// The zone as an index into a `[_; Zone::COUNT]` array.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The zone's name, as Garmin's watches write it (`warm up`, `easy`, `aerobic`,
    /// `threshold`, `maximum`), so that a view never shows a colour alone.
    pub fn name(self) -> &'static str {
        match self.0 {
            0 => "below zone 1",
            1 => "warm up",
            2 => "easy",
            3 => "aerobic",
            4 => "threshold",
            _ => "maximum",
        }
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Z{}", self.0)
    }
}

/// Percent of max HR at which each of zones 1-5 starts (Garmin's defaults).
pub const DEFAULT_LOWER_PERCENTS: [u16; 5] = [50, 60, 70, 80, 90];

/// A percentage given to a tenth, so that bounds are computed in exact integer arithmetic.
///
/// `Percent::from_tenths(675)` is 67.5 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(u16);

impl Percent {
    /// A whole percentage.
    pub const fn whole(p: u16) -> Self {
        Percent(p * 10)
    }

    /// A percentage in tenths of a percent.
    pub const fn from_tenths(t: u16) -> Self {
        Percent(t)
    }

    /// The percentage in tenths of a percent.
    pub fn tenths(self) -> u16 {
        self.0
    }

    /// `p` % of `of`, rounded to a whole number, half up.
    pub fn of_bpm(self, of: u16) -> u16 {
        let scaled = u32::from(of) * u32::from(self.0); // at most 65535 * 65535: fits in u32
        // The result is at most `of` * 6553.5 / 1000; saturate rather than wrap for absurd inputs.
        u16::try_from((scaled + 500) / 1000).unwrap_or(u16::MAX)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_multiple_of(10) {
            write!(f, "{}%", self.0 / 10)
        } else {
            write!(f, "{}.{}%", self.0 / 10, self.0 % 10)
        }
    }
}

/// The zone models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ZoneModelName {
    /// Percent of max HR.
    Max,
    /// Percent of heart-rate reserve (Karvonen).
    Hrr,
    /// Percent of LTHR (Friel).
    Lthr,
}

impl ZoneModelName {
    /// The name in the profile and on the command line: `max`, `hrr` or `lthr`.
    pub fn as_str(self) -> &'static str {
        match self {
            ZoneModelName::Max => "max",
            ZoneModelName::Hrr => "hrr",
            ZoneModelName::Lthr => "lthr",
        }
    }

    /// Parses `max`, `hrr` or `lthr`.
    ///
    /// # Errors
    /// A message listing the allowed values.
    pub fn parse(s: &str) -> Result<Self, String> {
        match s {
            "max" => Ok(ZoneModelName::Max),
            "hrr" => Ok(ZoneModelName::Hrr),
            "lthr" => Ok(ZoneModelName::Lthr),
            _ => Err(format!("{s:?} is not a zone model: use max, hrr or lthr")),
        }
    }
}

/// What the zone percentages are percentages of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ZoneBasis {
    /// Percent of max HR (the default, and what watches use).
    Max,
    /// Percent of heart-rate reserve (Karvonen): `resting + p × (max − resting)`.
    Hrr {
        /// Resting heart rate in bpm.
        resting: u16,
    },
    /// Percent of lactate-threshold heart rate (Friel's running zones).
    Lthr {
        /// Lactate-threshold heart rate in bpm.
        lthr: u16,
    },
}

impl ZoneBasis {
    /// Which model this is.
    pub fn model(self) -> ZoneModelName {
        match self {
            ZoneBasis::Max => ZoneModelName::Max,
            ZoneBasis::Hrr { .. } => ZoneModelName::Hrr,
            ZoneBasis::Lthr { .. } => ZoneModelName::Lthr,
        }
    }

    /// The name used in the profile and on screen: `max`, `hrr` or `lthr`.
    pub fn name(self) -> &'static str {
        self.model().as_str()
    }

    /// Lower bound of zones 1-5 in whole percents of the basis.
    ///
    /// %max and %HRR use Garmin's 50/60/70/80/90. Friel's running zones by LTHR are
    /// Z1 < 85 %, Z2 85-89 %, Z3 90-94 %, Z4 95-99 %, Z5 ≥ 100 %: zone 1 has no lower bound,
    /// so under `lthr` there is no zone 0.
    pub fn lower_percents(self) -> [u16; 5] {
        match self {
            ZoneBasis::Max | ZoneBasis::Hrr { .. } => DEFAULT_LOWER_PERCENTS,
            ZoneBasis::Lthr { .. } => [0, 85, 90, 95, 100],
        }
    }

    /// The sore-day cap by default: heart rate that means an easy, recovery effort under this
    /// model, whatever its zone numbers say.
    ///
    /// - `max`: 70 % of max HR, the top of zone 2: an easy run is 60-70 % of max HR.
    /// - `hrr`: 60 % of HRR. The top of %HRR zone 2 (70 %) is about 79 % of max HR for a
    ///   typical runner; ACSM counts 40-59 % of HRR as moderate and 60 % and up as vigorous.
    /// - `lthr`: 85 % of LTHR, the top of Friel's recovery zone (zone 1 is under 85 %). The top
    ///   of his zone 2 (90 %) is about 81 % of max HR.
    pub fn default_cap(self) -> Percent {
        match self {
            ZoneBasis::Max => Percent::whole(70),
            ZoneBasis::Hrr { .. } => Percent::whole(60),
            ZoneBasis::Lthr { .. } => Percent::whole(85),
        }
    }
}

/// The highest an easy-day cap may be, in percent of max HR, whatever the zone model: an
/// easy run is 60-70 % of max HR.
pub const EASY_CAP_OF_MAX: f64 = 70.0;

/// Zones with their bounds in bpm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZoneModel {
    max_hr: u16,
    basis: ZoneBasis,
    /// Lower bound of zones 1..=5 in bpm, ascending.
    lower_bounds: [u16; 5],
    /// Whether the bounds are the runner's own rather than the basis's percentages.
    custom: bool,
}

/// Checks custom zone bounds: five lower bounds of zones 1-5 in bpm, strictly ascending,
/// each 30-250.
///
/// # Errors
/// Why they are not zones, in words for the runner.
pub fn check_bounds(bounds: &[u16]) -> Result<[u16; 5], String> {
    let Ok(five) = <[u16; 5]>::try_from(bounds) else {
        return Err(format!(
            "{} values: zones need five, the lower bounds of zones 1-5 in bpm (e.g. 133,147,162,176,190)",
            bounds.len()
        ));
    };
    if let Some(b) = five.iter().find(|b| !(30..=250).contains(*b)) {
        return Err(format!("{b} bpm is not a zone bound (30-250)"));
    }
    if five.windows(2).any(|w| w[0] >= w[1]) {
        return Err("zone bounds must go up from zone 1 to zone 5".to_owned());
    }
    Ok(five)
}

/// Parses `133,147,162,176,190` (commas or spaces) into checked bounds.
///
/// # Errors
/// A value that is not a whole bpm, or bounds [`check_bounds`] refuses.
pub fn parse_bounds(text: &str) -> Result<[u16; 5], String> {
    let values: Result<Vec<u16>, String> = text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|v| !v.is_empty())
        .map(|v| {
            v.parse::<u16>()
                .map_err(|_| format!("{v:?} is not a whole number of bpm"))
        })
        .collect();
    check_bounds(&values?)
}

impl ZoneModel {
    /// The %max model with Garmin's default bounds for the given max HR.
    pub fn percent_of_max(max_hr: u16) -> Self {
        Self::new(max_hr, ZoneBasis::Max)
    }

    /// Zones on `basis` for a runner with `max_hr`.
    pub fn new(max_hr: u16, basis: ZoneBasis) -> Self {
        let mut model = ZoneModel {
            max_hr,
            basis,
            lower_bounds: [0; 5],
            custom: false,
        };
        model.lower_bounds = basis
            .lower_percents()
            .map(|p| model.bpm_at(Percent::whole(p)));
        model
    }

    /// These zones with the runner's own lower bounds of zones 1-5 (checked with
    /// [`check_bounds`]); the basis still sets the default cap.
    pub fn with_bounds(self, lower_bounds: [u16; 5]) -> Self {
        ZoneModel {
            lower_bounds,
            custom: true,
            ..self
        }
    }

    /// The top of zone 2 (one under zone 3's bound), for bounds given as bpm (the runner's
    /// own or a device's): a sore-day cap above it would be zone 3 in the zones shown.
    /// `None` for the basis's own percentages, whose caps are set by [`Self::easy_cap`].
    pub fn zone2_top(&self) -> Option<u16> {
        self.custom.then(|| self.lower_bounds[2].saturating_sub(1))
    }

    /// Whether the bounds are the runner's own (or a device's), not the basis's percentages.
    pub fn is_custom(&self) -> bool {
        self.custom
    }

    /// The bpm at `p` percent of this model's basis, rounded half up.
    pub fn bpm_at(&self, p: Percent) -> u16 {
        match self.basis {
            ZoneBasis::Max => p.of_bpm(self.max_hr),
            ZoneBasis::Hrr { resting } => {
                resting.saturating_add(p.of_bpm(self.max_hr.saturating_sub(resting)))
            }
            ZoneBasis::Lthr { lthr } => p.of_bpm(lthr),
        }
    }

    /// The percentage of the basis that `bpm` is, rounded down to a tenth (so that
    /// [`ZoneModel::bpm_at`] of it is never above `bpm`, give or take the rounding of a beat).
    pub fn percent_at(&self, bpm: f64) -> Percent {
        let (from, span) = match self.basis {
            ZoneBasis::Max => (0.0, f64::from(self.max_hr)),
            ZoneBasis::Hrr { resting } => (
                f64::from(resting),
                f64::from(self.max_hr.saturating_sub(resting).max(1)),
            ),
            ZoneBasis::Lthr { lthr } => (0.0, f64::from(lthr.max(1))),
        };
        let tenths = ((bpm - from) / span * 1000.0).floor();
        Percent::from_tenths(tenths.clamp(0.0, f64::from(u16::MAX)) as u16)
    }

    /// The easy-day cap for this runner: the model's default ([`ZoneBasis::default_cap`]),
    /// never above [`EASY_CAP_OF_MAX`] % of max HR. Under %HRR or %LTHR the default can sit
    /// above it (85 % of an LTHR of 166 is 141 bpm, 76 % of a max of 185): an easy run is
    /// 60-70 % of max HR whatever the model.
    pub fn easy_cap(&self) -> Percent {
        // The bpm the %max model gives (70 % of 185 is 130, half up), then its share of the
        // basis, just under the next beat.
        let tenths = (EASY_CAP_OF_MAX * 10.0) as u16;
        let limit_bpm = Percent::from_tenths(tenths).of_bpm(self.max_hr);
        let limit = self.percent_at(f64::from(limit_bpm) + 0.49);
        self.basis.default_cap().min(limit)
    }

    /// What the percentages are of.
    pub fn basis(&self) -> ZoneBasis {
        self.basis
    }

    /// The max HR the zones were computed from.
    pub fn max_hr(&self) -> u16 {
        self.max_hr
    }

    /// Lower bound in bpm of zones 1 to 5.
    pub fn lower_bounds(&self) -> [u16; 5] {
        self.lower_bounds
    }

    /// The zone `bpm` falls in; a bpm equal to a bound belongs to the zone above.
    ///
    /// ```
    /// use hrcoach::coach::zones::ZoneModel;
    ///
    /// let zones = ZoneModel::percent_of_max(191);
    /// assert_eq!(zones.lower_bounds(), [96, 115, 134, 153, 172]);
    /// assert_eq!(zones.zone(133).number(), 2);
    /// assert_eq!(zones.zone(134).number(), 3);
    /// ```
    pub fn zone(&self, bpm: u16) -> Zone {
        // Five comparisons beat a binary search at this size.
        let n = self.lower_bounds.iter().take_while(|&&b| bpm >= b).count();
        Zone(n as u8) // n <= 5
    }

    /// `bpm` as a percentage of max HR.
    pub fn percent_of_max_hr(&self, bpm: u16) -> f64 {
        f64::from(bpm) * 100.0 / f64::from(self.max_hr)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_match_the_watch_convention() {
        // Values stored by Garmin devices in the files under ../shared/real-data.
        assert_eq!(
            ZoneModel::percent_of_max(191).lower_bounds(),
            [96, 115, 134, 153, 172]
        );
        assert_eq!(
            ZoneModel::percent_of_max(197).lower_bounds(),
            [99, 118, 138, 158, 177]
        );
        assert_eq!(
            ZoneModel::percent_of_max(200).lower_bounds(),
            [100, 120, 140, 160, 180]
        );
    }

    #[test]
    fn rounds_half_up() {
        // 50 % of 197 = 98.5 -> 99; 70 % of 185 = 129.5 -> 130.
        assert_eq!(Percent::whole(50).of_bpm(197), 99);
        assert_eq!(Percent::whole(70).of_bpm(185), 130);
        assert_eq!(Percent::from_tenths(675).of_bpm(185), 125); // 124.875
        assert_eq!(Percent::from_tenths(650).of_bpm(190), 124); // 123.5
    }

    #[test]
    fn a_bpm_on_a_bound_belongs_to_the_upper_zone() {
        let z = ZoneModel::percent_of_max(191);
        assert_eq!(z.zone(95), Zone(0));
        assert_eq!(z.zone(96), Zone(1));
        assert_eq!(z.zone(114), Zone(1));
        assert_eq!(z.zone(115), Zone(2));
        assert_eq!(z.zone(133), Zone(2));
        assert_eq!(z.zone(134), Zone(3));
        assert_eq!(z.zone(172), Zone(5));
        assert_eq!(z.zone(250), Zone(5));
        assert_eq!(z.zone(0), Zone(0));
    }

    #[test]
    fn lower_bound_of_each_zone() {
        let z = ZoneModel::percent_of_max(191);
        assert_eq!(z.lower_bounds()[2], 134, "zone 3");
        assert_eq!(z.lower_bounds()[4], 172, "zone 5");
    }

    #[test]
    fn karvonen_bounds_add_resting_to_a_share_of_the_reserve() {
        // max 185, rest 55: reserve 130; 70 % of it is 91 -> 146.
        let z = ZoneModel::new(185, ZoneBasis::Hrr { resting: 55 });
        assert_eq!(z.lower_bounds(), [120, 133, 146, 159, 172]);
        // The sore-day cap is 60 % of HRR, not the top of zone 2: 133, not 146 (79 % of max).
        assert_eq!(z.bpm_at(z.basis().default_cap()), 133);
    }

    #[test]
    fn friel_lthr_zones_have_no_zone_zero() {
        let z = ZoneModel::new(185, ZoneBasis::Lthr { lthr: 170 });
        // 85/90/95/100 % of 170 = 144.5 -> 145, 153, 161.5 -> 162, 170.
        assert_eq!(z.lower_bounds(), [0, 145, 153, 162, 170]);
        assert_eq!(z.zone(60).number(), 1);
        // The sore-day cap is the top of the recovery zone, 85 % of LTHR: 145, not 153.
        assert_eq!(z.bpm_at(z.basis().default_cap()), 145);
    }

    #[test]
    fn the_default_cap_means_easy_under_every_model() {
        // The issue's runner: max 185, resting 55, LTHR 166. Under %max the cap is the top of
        // zone 2; under the others it is what "easy" means there, near 70 % of max HR, never
        // the 79-81 % that the top of their zone 2 would be.
        for (basis, cap) in [
            (ZoneBasis::Max, 130),
            (ZoneBasis::Hrr { resting: 55 }, 133),
            (ZoneBasis::Lthr { lthr: 166 }, 141),
        ] {
            let z = ZoneModel::new(185, basis);
            let bpm = z.bpm_at(basis.default_cap());
            assert_eq!(bpm, cap, "{basis:?}");
            let of_max = z.percent_of_max_hr(bpm);
            assert!(
                (69.0..=76.5).contains(&of_max),
                "{basis:?}: {of_max}% of max"
            );
        }
        assert_eq!(
            ZoneModel::percent_of_max(185).lower_bounds()[2], // zone 3
            ZoneModel::percent_of_max(185).bpm_at(ZoneBasis::Max.default_cap())
        );
    }

    #[test]
    fn percent_displays_tenths_only_when_needed() {
        assert_eq!(Percent::whole(70).to_string(), "70%");
        assert_eq!(Percent::from_tenths(675).to_string(), "67.5%");
    }

    #[test]
    fn percent_saturates_instead_of_wrapping() {
        assert_eq!(Percent::from_tenths(u16::MAX).of_bpm(u16::MAX), u16::MAX);
    }

    #[test]
    fn custom_bounds_are_checked_and_used() {
        assert_eq!(
            parse_bounds("133,147,162,176,190"),
            Ok([133, 147, 162, 176, 190])
        );
        assert_eq!(
            parse_bounds("133 147 162 176 190"),
            Ok([133, 147, 162, 176, 190])
        );
        assert!(parse_bounds("133,147,162,176").is_err_and(|e| e.contains("4 values")));
        assert!(parse_bounds("133,147,140,176,190").is_err_and(|e| e.contains("go up")));
        assert!(parse_bounds("133,147,x,176,190").is_err_and(|e| e.contains("\"x\"")));
        assert!(parse_bounds("3,147,162,176,190").is_err());
        let z = ZoneModel::percent_of_max(190).with_bounds([133, 147, 162, 176, 190]);
        assert!(z.is_custom());
        assert_eq!(z.zone(132).number(), 0);
        assert_eq!(z.zone(147).number(), 2);
        assert_eq!(z.zone(200).number(), 5);
    }
}
