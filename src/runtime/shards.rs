//! Which servers this process owns when the bot's shards are split over
//! several processes (`serve --shards 0-3 --total-shards 8`).
//!
//! Discord sends a server's events and interactions to shard
//! `(guild_id >> 22) % total_shards`, so the process connecting that shard
//! is the one people of that server talk to. It must also be the only one
//! that acts on that server's sessions by itself: re-arming them at
//! start-up, firing their deadlines, expiring their lobbies, sending their
//! reminders. Everything that scans the database for such work asks
//! [`Ownership::owns`], the one predicate, so two processes never both
//! arm, fire or post for the same session.

/// The shards this process connects: `first..=last` of `total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ownership {
    first: u32,
    last: u32,
    total: u32,
}

/// Why a shard setting was refused (shown to the operator as it is).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("the shard range {0:?} must be a shard number or a range FIRST-LAST, such as 0-3")]
    Range(String),
    #[error("the shard range {first}-{last} goes down: write the lower number first")]
    Backwards { first: u32, last: u32 },
    #[error("the total number of shards must be at least 1")]
    NoShards,
    #[error(
        "shards {first}-{last} are not all inside the {total} shard(s) of the bot \
         (numbered 0 to {}): lower the range or raise the total",
        total - 1
    )]
    Outside { first: u32, last: u32, total: u32 },
    #[error("a shard range needs the total number of shards too")]
    NoTotal,
}

impl Default for Ownership {
    fn default() -> Self {
        Ownership::all()
    }
}

impl Ownership {
    /// One process with the bot's only shard: it owns everything (today's
    /// single-process bot).
    pub const fn all() -> Ownership {
        Ownership {
            first: 0,
            last: 0,
            total: 1,
        }
    }

    pub fn new(first: u32, last: u32, total: u32) -> Result<Ownership, ShardError> {
        if total == 0 {
            return Err(ShardError::NoShards);
        }
        if first > last {
            return Err(ShardError::Backwards { first, last });
        }
        if last >= total {
            return Err(ShardError::Outside { first, last, total });
        }
        Ok(Ownership { first, last, total })
    }

    /// From the settings: a range (`"0-3"`, or `"2"` for one shard) and the
    /// total. Neither: all shards of one (as without sharding). A total
    /// alone: all of its shards in this process.
    pub fn from_settings(range: Option<&str>, total: Option<u32>) -> Result<Ownership, ShardError> {
        let range = range.map(str::trim).filter(|r| !r.is_empty());
        match (range, total) {
            (None, None) => Ok(Ownership::all()),
            (None, Some(total)) => Ownership::new(0, total.saturating_sub(1), total),
            (Some(_), None) => Err(ShardError::NoTotal),
            (Some(r), Some(total)) => {
                let (first, last) = parse_range(r)?;
                Ownership::new(first, last, total)
            }
        }
    }

    /// The shard Discord routes `guild`'s events to, out of `total`.
    pub fn shard_of(guild: u64, total: u32) -> u32 {
        // `total` is at least 1 in every Ownership; the remainder fits u32.
        ((guild >> 22) % u64::from(total.max(1))) as u32
    }

    /// Whether this process acts for `guild`. Sessions and reminders with
    /// no server (the terminal's, direct messages) belong to shard 0, where
    /// Discord sends direct messages.
    pub fn owns(&self, guild: Option<u64>) -> bool {
        let shard = guild.map_or(0, |g| Ownership::shard_of(g, self.total));
        (self.first..=self.last).contains(&shard)
    }

    pub fn first(&self) -> u32 {
        self.first
    }

    /// The last shard, included.
    pub fn last(&self) -> u32 {
        self.last
    }

    pub fn total(&self) -> u32 {
        self.total
    }
}

impl std::fmt::Display for Ownership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "shards {}-{} of {}", self.first, self.last, self.total)
    }
}

fn parse_range(r: &str) -> Result<(u32, u32), ShardError> {
    let bad = || ShardError::Range(r.to_string());
    let number = |s: &str| s.trim().parse::<u32>().map_err(|_| bad());
    match r.split_once('-') {
        Some((a, b)) => Ok((number(a)?, number(b)?)),
        None => number(r).map(|n| (n, n)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_guild_belongs_to_the_shard_discord_routes_it_to() {
        // Its timestamp part (guild >> 22) is 9959216934, which is 6 mod 8.
        let g = 41_771_983_423_143_937u64;
        assert_eq!(g >> 22, 9_959_216_934);
        assert_eq!(Ownership::shard_of(g, 8), 6);
        assert_eq!(Ownership::shard_of(g, 1), 0);
        let low = Ownership::new(0, 3, 8).expect("valid");
        let high = Ownership::new(4, 7, 8).expect("valid");
        assert!(!low.owns(Some(g)) && high.owns(Some(g)));
        // The low 22 bits (worker, process, increment) never move a guild.
        assert!(high.owns(Some(g | 0x3f_ffff)));
        assert!(
            high.owns(Some(30 << 22)) && low.owns(Some(11 << 22)),
            "30 % 8 = 6, 11 % 8 = 3"
        );
    }

    #[test]
    fn no_server_means_shard_zero() {
        assert!(Ownership::new(0, 0, 2).expect("valid").owns(None));
        assert!(!Ownership::new(1, 1, 2).expect("valid").owns(None));
        assert!(Ownership::all().owns(None) && Ownership::all().owns(Some(u64::MAX)));
    }

    #[test]
    fn settings_are_checked_with_a_reason() {
        let o = |r: Option<&str>, t| Ownership::from_settings(r, t);
        assert_eq!(o(None, None), Ok(Ownership::all()));
        assert_eq!(o(None, Some(4)), Ownership::new(0, 3, 4));
        assert_eq!(o(Some("2"), Some(4)), Ownership::new(2, 2, 4));
        assert_eq!(o(Some(" 1-3 "), Some(4)), Ownership::new(1, 3, 4));
        assert_eq!(o(Some("0-3"), None), Err(ShardError::NoTotal));
        assert_eq!(o(Some("0-4"), Some(4)).map_err(|e| e.to_string()),
            Err("shards 0-4 are not all inside the 4 shard(s) of the bot (numbered 0 to 3): lower the range or raise the total".to_string()));
        assert_eq!(
            o(Some("3-1"), Some(4)),
            Err(ShardError::Backwards { first: 3, last: 1 })
        );
        assert_eq!(
            o(Some("a-b"), Some(4)),
            Err(ShardError::Range("a-b".into()))
        );
        assert_eq!(o(Some("0-1"), Some(0)), Err(ShardError::NoShards));
        assert_eq!(o(None, Some(0)), Err(ShardError::NoShards));
    }
}
