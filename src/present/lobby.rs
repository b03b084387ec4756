//! A panel lobby's message: who has joined, how the panel runs, and its
//! buttons while it is open; and the panel's introduction in its thread.

use super::action::Target;
use super::card::{Button, Card, Row, Style, BLUE, GREY};
use super::text::{relative, truncate};
use crate::interview::Role;
use crate::runtime::lobby::{self, Press};
use crate::runtime::Planned;
use crate::store::{Lobby, LobbyRole, LobbyStatus};

fn names(l: &Lobby, role: LobbyRole) -> String {
    let list: Vec<String> = l
        .members
        .iter()
        .filter(|m| m.role == role)
        .map(|m| format!("• {}", truncate(&m.name, 64)))
        .collect();
    if list.is_empty() {
        "nobody yet".into()
    } else {
        list.join("\n")
    }
}

const EXPIRED: &str = "This lobby expired: nobody started it within 30 minutes.";

/// The lobby message; `title` is its topic's title in the server's bank.
pub fn card(title: &str, l: &Lobby) -> Card {
    let minutes = l
        .minutes
        .map(|m| format!(" · {m} min per question"))
        .unwrap_or_default();
    let (state, colour) = match l.status {
        LobbyStatus::Open => (
            format!(
                "Join with the buttons below. The creator starts the panel; the lobby expires {}.",
                relative(lobby::expires_at(l))
            ),
            BLUE,
        ),
        LobbyStatus::Started => (
            "This panel has started: it runs in its thread.".to_string(),
            GREY,
        ),
        LobbyStatus::Cancelled => ("This panel was cancelled.".to_string(), GREY),
        LobbyStatus::Expired => (EXPIRED.to_string(), GREY),
    };
    Card::new(
        &format!("Panel lobby · {title}"),
        &format!(
            "{} · {} question(s) per candidate{minutes}\n{state}",
            l.difficulty, l.questions
        ),
        colour,
    )
    .field(
        &format!(
            "Candidates ({}/{})",
            lobby::count(l, LobbyRole::Candidate),
            lobby::MAX_CANDIDATES
        ),
        &names(l, LobbyRole::Candidate),
    )
    .field(
        &format!(
            "Interviewers ({}/{})",
            lobby::count(l, LobbyRole::Interviewer),
            lobby::MAX_INTERVIEWERS
        ),
        &names(l, LobbyRole::Interviewer),
    )
}

/// The lobby's buttons while it is open; none once it is closed.
pub fn buttons(l: &Lobby) -> Vec<Row> {
    if l.status != LobbyStatus::Open {
        return Vec::new();
    }
    let b = |p, label: &str, style| Button::new(Target::Lobby(l.id, p), label, style);
    vec![vec![
        b(Press::JoinCandidate, "Join as candidate", Style::Primary),
        b(
            Press::JoinInterviewer,
            "Join as interviewer",
            Style::Primary,
        ),
        b(Press::Leave, "Leave", Style::Secondary),
        b(Press::Start, "Start", Style::Success),
        b(Press::Cancel, "Cancel", Style::Danger),
    ]]
}

/// Who is in the panel and how it runs, above the first question.
pub fn intro(title: &str, planned: &Planned) -> Card {
    let people = &planned.request().participants;
    let names = |role| {
        people
            .iter()
            .filter(|p| p.role == role)
            .map(|p| truncate(&p.name, 64))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let candidates = people.iter().filter(|p| p.role == Role::Candidate).count();
    let each = planned.questions() / candidates.max(1);
    Card::new(
        &format!("Panel · {title}"),
        &format!(
            "**Candidates**, in turn: {}\n**Interviewers**: {}\n{each} question(s) each. Interviewers score every answer privately; the scores and notes are shown to everyone in the summary at the end.",
            names(Role::Candidate),
            names(Role::Interviewer)
        ),
        BLUE,
    )
}

/// What an expired lobby's message becomes (its buttons are removed).
pub fn expired(title: &str) -> Card {
    Card::new(&format!("Panel lobby · {title}"), EXPIRED, GREY)
}
