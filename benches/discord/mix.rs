//! First responses under a realistic mix at a fixed rate: reads (`/topics`, `/leaderboard`),
//! `/interview start` by people who have none running, and presses on running interviews
//! (Hint, Answer, the answer modal's Submit, a rating, Skip), each interview walking through
//! its questions as a person would.
//!
//! The send schedule is open loop (one interaction every `1/rate` s, whatever the bot does);
//! a press goes to an interview that is idle (its last press answered, its question known),
//! so a slow bot finds fewer idle interviews, and such a slot sends `/topics` instead (counted).
//! The figure is the stand-in's own: from the INTERACTION_CREATE it sent to the callback it
//! received.

use super::support::{linked_channel, InteractionHandle, StoredMessage, World, T};
use serde_json::json;
use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Questions per interview: enough that few finish during a run.
const QUESTIONS: u64 = 20;
const ANSWER: &str = "A list is mutable and a tuple is immutable, so a tuple can be a dict key.";

/// One slot of every 20: 6 `/topics`, 2 `/leaderboard`, 1 `/interview start`, 11 presses.
const CYCLE: [Slot; 20] = {
    use Slot::*;
    [
        Press,
        Topics,
        Press,
        Leaderboard,
        Press,
        Start,
        Press,
        Topics,
        Press,
        Topics,
        Press,
        Topics,
        Press,
        Press,
        Topics,
        Press,
        Leaderboard,
        Press,
        Topics,
        Press,
    ]
};

#[derive(Clone, Copy)]
enum Slot {
    Topics,
    Leaderboard,
    Start,
    Press,
}

/// What one interaction was, for the per-kind figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Topics,
    Leaderboard,
    Start,
    Hint,
    Answer,
    Submit,
    Rate,
    Skip,
}

/// A running interview as its candidate sees it.
pub struct Interview {
    user: u64,
    thread: u64,
    question: StoredMessage,
    /// Questions shown so far.
    number: u64,
    step: usize,
    /// The answer modal once shown, or the feedback to rate.
    modal: Option<InteractionHandle>,
    feedback: Option<StoredMessage>,
}

/// Each interview presses, over two questions: Hint, Answer, Submit, a rating, Hint, Skip.
const STEPS: [Kind; 6] = [
    Kind::Hint,
    Kind::Answer,
    Kind::Submit,
    Kind::Rate,
    Kind::Hint,
    Kind::Skip,
];

pub type Pool = Arc<Mutex<VecDeque<Interview>>>;

pub struct Outcome {
    /// (kind, when it was sent from the start, first response) of every interaction.
    pub firsts: Vec<(Kind, Duration, Duration)>,
    /// Interactions not answered within `UNANSWERED` (type 0 in `callback_kinds`).
    pub unanswered: usize,
    /// Press slots that found no idle interview (sent as `/topics`).
    pub no_idle: usize,
    pub sent_in: Duration,
    /// Callback types seen per kind (4 message, 5/6 deferred, 7 update, 9 modal).
    pub callback_kinds: BTreeMap<(Kind, u8), usize>,
}

fn custom_id(m: &StoredMessage, action: &str) -> Option<String> {
    m.custom_ids()
        .into_iter()
        .find(|c| c.split(':').nth(3) == Some(action))
}

fn hint_id(m: &StoredMessage) -> Option<String> {
    m.custom_ids().into_iter().find(|c| {
        c.split(':')
            .nth(3)
            .is_some_and(|a| a.starts_with('h') && a[1..].parse::<u32>().is_ok())
    })
}

/// Starts an interview for `user`: the handle of the command, and a task that waits for the
/// thread and first question.
fn start(world: &Arc<World>, user: u64) -> InteractionHandle {
    let d = &world.discord;
    d.slash_command(
        user,
        d.channel_id(),
        "interview start",
        &[
            ("topic", json!("core-python")),
            ("questions", json!(QUESTIONS)),
        ],
    )
}

async fn opened(world: &World, user: u64, cmd: &InteractionHandle) -> Interview {
    let reply = cmd.original_message(T).await;
    let thread = linked_channel(reply.content())
        .unwrap_or_else(|| panic!("the reply links the thread: {:?}", reply.content()));
    let question = world.message_with(thread, "Question 1 of").await;
    Interview {
        user,
        thread,
        question,
        number: 1,
        step: 0,
        modal: None,
        feedback: None,
    }
}

/// Starts `n` interviews before the timed run, a few at a time.
pub async fn prepare(world: &Arc<World>, users: &mut Vec<u64>, n: usize) -> Pool {
    let pool: Pool = Arc::default();
    let mut pending = Vec::new();
    for _ in 0..n {
        let user = users.pop().expect("enough users");
        let cmd = start(world, user);
        let (world, pool) = (Arc::clone(world), Arc::clone(&pool));
        pending.push(tokio::spawn(async move {
            let iv = opened(&world, user, &cmd).await;
            pool.lock().expect("pool").push_back(iv);
        }));
        if pending.len() >= 16 {
            for p in pending.drain(..) {
                p.await.expect("an interview starts");
            }
        }
    }
    for p in pending {
        p.await.expect("an interview starts");
    }
    pool
}

/// Sends the press `iv` is at (or the next one it can make). None: nothing to press (a
/// question without hints moves on to the next step).
fn press(world: &World, iv: &mut Interview) -> Option<(Kind, InteractionHandle)> {
    let d = &world.discord;
    // The question as the candidate sees it now (a hint redraws it).
    if let Some(m) = d.message(iv.question.id) {
        iv.question = m;
    }
    for _ in 0..STEPS.len() {
        let kind = STEPS[iv.step % STEPS.len()];
        let sent = match kind {
            Kind::Hint => {
                hint_id(&iv.question).map(|c| d.press_button(iv.user, iv.question.id, &c))
            }
            Kind::Answer | Kind::Skip => {
                let action = if kind == Kind::Answer { "ans" } else { "skip" };
                custom_id(&iv.question, action).map(|c| d.press_button(iv.user, iv.question.id, &c))
            }
            Kind::Submit => iv
                .modal
                .take()
                .map(|m| d.submit_modal(&m, &[("answer", ANSWER)])),
            Kind::Rate => iv
                .feedback
                .take()
                .and_then(|f| custom_id(&f, "r4").map(|c| d.press_button(iv.user, f.id, &c))),
            _ => None,
        };
        match sent {
            Some(h) => return Some((kind, h)),
            None => iv.step += 1,
        }
    }
    None
}

/// After a press was answered: what the interview shows now. False: it is over.
async fn advance(
    world: &World,
    iv: &mut Interview,
    kind: Kind,
    h: &InteractionHandle,
    callback: u8,
) -> bool {
    iv.step += 1;
    match kind {
        // A hint acknowledged first (the bot was slow) redraws the question later.
        Kind::Hint if callback == 6 => {
            let (id, edits) = (iv.question.id, iv.question.edit_count);
            iv.question = world
                .discord
                .wait_for_message(iv.thread, T, |m| m.id == id && m.edit_count > edits)
                .await;
        }
        Kind::Answer => iv.modal = Some(h.clone()),
        // Acknowledged first, the feedback follows through the token.
        Kind::Submit if callback == 6 => {
            iv.feedback = h.wait_for_followups(1, T).await.into_iter().next();
        }
        Kind::Submit => iv.feedback = Some(h.original_message(T).await),
        Kind::Rate | Kind::Skip => {
            if iv.number == QUESTIONS {
                return false;
            }
            iv.number += 1;
            let needle = format!("Question {} of {QUESTIONS}", iv.number);
            iv.question = world.message_with(iv.thread, &needle).await;
        }
        _ => {}
    }
    true
}

/// What became of one interaction: its kind, callback type and first response (None: none).
type Answered = tokio::task::JoinHandle<(Kind, u8, Option<Duration>)>;

/// Longer than Discord's 3 s: an interaction still unanswered then has failed.
const UNANSWERED: Duration = Duration::from_secs(10);

/// The bot's first response, or None if it has not come within `UNANSWERED`.
async fn answered(h: &InteractionHandle) -> Option<super::support::discord_standin::Callback> {
    tokio::time::timeout(UNANSWERED, h.response(T)).await.ok()
}

/// Sends `rate` interactions a second for `seconds` seconds; returns every first response.
pub async fn run(
    world: Arc<World>,
    pool: Pool,
    mut users: Vec<u64>,
    rate: u64,
    seconds: u64,
) -> Outcome {
    let d = &world.discord;
    let readers = [d.alice(), d.bob(), d.carol(), d.dave()];
    let mut waits: Vec<(Duration, Answered)> = Vec::new();
    let mut no_idle = 0;
    let mut tick = tokio::time::interval(Duration::from_micros(1_000_000 / rate));
    let began = Instant::now();
    for i in 0..(rate * seconds) as usize {
        tick.tick().await;
        let mut slot = CYCLE[i % CYCLE.len()];
        if matches!(slot, Slot::Start) && users.is_empty() {
            slot = Slot::Topics;
        }
        let idle = match slot {
            Slot::Press => pool.lock().expect("pool").pop_front(),
            _ => None,
        };
        let sent = match (slot, idle) {
            (Slot::Press, Some(mut iv)) => match press(&world, &mut iv) {
                Some((kind, h)) => {
                    let (world, pool) = (Arc::clone(&world), Arc::clone(&pool));
                    waits.push((
                        began.elapsed(),
                        tokio::spawn(async move {
                            let Some(cb) = answered(&h).await else {
                                return (kind, 0, None);
                            };
                            if advance(&world, &mut iv, kind, &h, cb.kind).await {
                                pool.lock().expect("pool").push_back(iv);
                            }
                            (kind, cb.kind, Some(cb.after))
                        }),
                    ));
                    continue;
                }
                None => None,
            },
            (Slot::Start, _) => {
                let user = users.pop().expect("checked");
                let h = start(&world, user);
                let (world, pool) = (Arc::clone(&world), Arc::clone(&pool));
                waits.push((
                    began.elapsed(),
                    tokio::spawn(async move {
                        let Some(cb) = answered(&h).await else {
                            return (Kind::Start, 0, None);
                        };
                        let iv = opened(&world, user, &h).await;
                        pool.lock().expect("pool").push_back(iv);
                        (Kind::Start, cb.kind, Some(cb.after))
                    }),
                ));
                continue;
            }
            (Slot::Leaderboard, _) => Some(Kind::Leaderboard),
            _ => None,
        };
        if matches!(slot, Slot::Press) {
            no_idle += 1;
        }
        let kind = sent.unwrap_or(Kind::Topics);
        let name = if kind == Kind::Leaderboard {
            "leaderboard"
        } else {
            "topics"
        };
        let h = d.slash_command(readers[i % readers.len()], d.channel_id(), name, &[]);
        waits.push((
            began.elapsed(),
            tokio::spawn(async move {
                match answered(&h).await {
                    Some(cb) => (kind, cb.kind, Some(cb.after)),
                    None => (kind, 0, None),
                }
            }),
        ));
    }
    let sent_in = began.elapsed();
    let mut firsts = Vec::with_capacity(waits.len());
    let mut callback_kinds = BTreeMap::new();
    let mut unanswered = 0;
    for (at, w) in waits {
        let (kind, cb, after) = w.await.expect("the bench's own task");
        *callback_kinds.entry((kind, cb)).or_insert(0) += 1;
        match after {
            Some(after) => firsts.push((kind, at, after)),
            None => unanswered += 1,
        }
    }
    Outcome {
        firsts,
        unanswered,
        no_idle,
        sent_in,
        callback_kinds,
    }
}
