//! Discord ids are u64; SQLite integers are i64. This is the one place that
//! converts, by reinterpreting the bits, so every id round-trips exactly.

pub fn to_db(id: u64) -> i64 {
    id as i64
}

pub fn from_db(id: i64) -> u64 {
    id as u64
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_above_i64_max_round_trip() {
        for id in [0, 1, u64::MAX, 1 << 63, 1_234_567_890_123_456_789] {
            assert_eq!(super::from_db(super::to_db(id)), id);
        }
    }
}
