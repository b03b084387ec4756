//! The AI reviewer against a loopback OpenAI-compatible stand-in, through
//! the real runtime and a real SQLite file: what is sent, what a reply may
//! change, every failure falling back to the rubric with one notice, the
//! cache, the daily cap, the gibberish guard, the switches and the logs.

mod common;
#[path = "support/openai_standin.rs"]
mod openai_standin;

use interview_bot::ai::{AiConfig, ApiKey, Reviewer};
use interview_bot::bank::DifficultyChoice;
use interview_bot::interview::*;
use interview_bot::runtime::{Delivery, Runtime, StartRequest};
use interview_bot::store::{SessionId, Store};
use interview_bot::time::{Clock, Timestamp};
use openai_standin::{Answer, ModelStandIn};
use std::sync::Arc;
use std::time::Duration;

const T0: Timestamp = Timestamp(1_800_000_000_000);
const GUILD: u64 = 4242;
const KEY: &str = "sk-test-key-do-not-log";
/// The rubric of alpha-easy ("Gizmos spin", "Gizmos are blue") misses both
/// points here; the words are still about the gizmo.
const REWORDED: &str = "The gizmo rotates all the time and its colour is azure.";

struct Rig {
    _dir: tempfile::TempDir,
    store: Store,
    runtime: Runtime,
    clock: Clock,
    model: ModelStandIn,
    reviewer: Reviewer,
}

async fn rig(configure: impl FnOnce(&mut AiConfig)) -> Rig {
    let model = ModelStandIn::start().await;
    let mut ai = AiConfig {
        base_url: Some(model.base_url()),
        model: "test-model".into(),
        timeout_seconds: 5.0,
        daily_cap: 100,
        api_key: ApiKey::non_empty(KEY),
    };
    configure(&mut ai);
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("ai.db")).await.expect("opens");
    let clock = Clock::manual(T0);
    let (runtime, _timers) =
        Runtime::new(store.clone(), Arc::new(common::mini_bank()), clock.clone());
    let reviewer = Reviewer::from_config(&ai, store.clone())
        .expect("client")
        .expect("an endpoint is set");
    store.set_ai_enabled(GUILD, true).await.expect("switch");
    Rig {
        _dir: dir,
        store,
        runtime,
        clock,
        model,
        reviewer,
    }
}

impl Rig {
    /// A one-question solo session on alpha-easy for `name` in the test
    /// server, answered with `text`.
    async fn answered(&self, name: &str, text: &str) -> (SessionId, UserId) {
        let user = self.store.local_user(name).await.expect("user");
        let mut req = StartRequest::solo(
            user,
            name,
            vec!["alpha".into()],
            DifficultyChoice::Easy,
            1,
            Settings::default(),
        );
        req.guild_id = Some(GUILD);
        let start = self.runtime.start(req).await.expect("starts");
        let id = start.session.id;
        let submit = Event::SubmitWith {
            by: user,
            text: text.into(),
        };
        let d = self.runtime.handle(id, submit).await.expect("submits");
        assert!(d.effects.iter().any(|e| matches!(e, Effect::Feedback(_))));
        (id, user)
    }

    async fn review(&self, id: SessionId) -> Option<Delivery> {
        self.runtime
            .review_with(&self.reviewer, id, 0)
            .await
            .expect("review stored")
    }
}

fn opinion(d: &Delivery) -> &OpinionShown {
    d.effects
        .iter()
        .find_map(|e| match e {
            Effect::AiOpinion(o) => Some(o.as_ref()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("an opinion: {:?}", d.effects))
}

#[tokio::test]
async fn the_request_carries_the_model_the_rubric_and_a_strict_json_schema() {
    let rig = rig(|_| {}).await;
    let (id, _) = rig.answered("ann", REWORDED).await;
    rig.review(id).await.expect("an opinion");
    let requests = rig.model.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(r.path, "/v1/chat/completions");
    assert_eq!(r.authorization.as_deref(), Some(&*format!("Bearer {KEY}")));
    assert_eq!(r.body["model"], "test-model");
    let messages = r.body["messages"].as_array().expect("messages");
    assert_eq!(messages[0]["role"], "system");
    assert_eq!(messages[1]["role"], "user");
    let user = messages[1]["content"].as_str().expect("text");
    for part in [
        "Explain the gizmo.",
        "1. Gizmos spin.",
        "2. Gizmos are blue.",
        "A gizmo is blue and it spins.",
        REWORDED,
    ] {
        assert!(user.contains(part), "{part:?} in {user}");
    }
    let format = &r.body["response_format"];
    assert_eq!(format["type"], "json_schema");
    assert_eq!(format["json_schema"]["strict"], true);
    let schema = &format["json_schema"]["schema"];
    assert_eq!(schema["properties"]["key_points"]["minItems"], 2);
    assert_eq!(
        schema["properties"]["key_points"]["items"]["properties"]["verdict"]["enum"],
        serde_json::json!(["covered", "partly", "missed"])
    );
}

#[tokio::test]
async fn an_opinion_before_the_rating_adds_credit_and_the_score_uses_it() {
    let rig = rig(|_| {}).await;
    let (id, user) = rig.answered("ann", REWORDED).await;
    let d = rig.review(id).await.expect("an opinion");
    let o = opinion(&d);
    assert_eq!((o.rubric_coverage, o.coverage), (0, 100));
    assert!(o.opinion.counted);
    assert_eq!(o.opinion.follow_up, "How would you show this in a test?");
    let rated = rig
        .runtime
        .handle(
            id,
            Event::Rate {
                by: user,
                rating: None,
            },
        )
        .await
        .expect("rates");
    let score = rated.effects.iter().find_map(|e| match e {
        Effect::Scored { score, .. } => *score,
        _ => None,
    });
    assert_eq!(score, Some(100), "the combined coverage, no self rating");
    let stored = rig.runtime.session(id).await.expect("stored");
    assert!(
        stored.state.results[0].ai.is_some(),
        "kept with the session"
    );
}

#[tokio::test]
async fn an_opinion_after_the_score_was_fixed_is_shown_but_changes_nothing() {
    let rig = rig(|_| {}).await;
    let (id, user) = rig.answered("ann", REWORDED).await;
    rig.runtime
        .handle(
            id,
            Event::Rate {
                by: user,
                rating: None,
            },
        )
        .await
        .expect("rates");
    let d = rig.review(id).await.expect("an opinion");
    assert!(!opinion(&d).opinion.counted);
    let stored = rig.runtime.session(id).await.expect("stored");
    assert_eq!(
        stored.state.results[0].score,
        Some(0),
        "the rubric's score stands"
    );
}

#[tokio::test]
async fn malformed_replies_timeouts_429_and_500_fall_back_to_the_rubric_with_one_notice() {
    let cases = [
        (
            Answer::Content("Sure! Here is my review.".into()),
            Trouble::Malformed,
        ),
        (
            Answer::Content(r#"{"key_points": [], "feedback": "x", "follow_up": "y"}"#.into()),
            Trouble::Malformed,
        ),
        (Answer::Status(429), Trouble::Status(429)),
        (Answer::Status(500), Trouble::Status(500)),
        // A timeout is real waiting: the shortest the setting allows that
        // still leaves a loopback reply room, against a stand-in that never answers.
        (Answer::Hang, Trouble::Timeout),
    ];
    for (answer, trouble) in cases {
        let rig = rig(|ai| ai.timeout_seconds = 0.3).await;
        rig.model.always(answer.clone());
        let (id, user) = rig.answered("ann", REWORDED).await;
        let d = rig.review(id).await.expect("a notice");
        assert_eq!(
            d.effects,
            vec![Effect::AiUnavailable(trouble)],
            "{answer:?}"
        );
        assert!(rig.review(id).await.is_none(), "{answer:?}: told only once");
        assert_eq!(rig.model.calls(), 2, "{answer:?}: a failure is not cached");
        let rated = rig
            .runtime
            .handle(
                id,
                Event::Rate {
                    by: user,
                    rating: Some(5),
                },
            )
            .await
            .expect("the interview goes on");
        assert!(!rated.session.state.is_running());
        assert_eq!(
            rated.session.state.results[0].score,
            Some(50),
            "rubric 0, rating 100"
        );
    }
}

#[tokio::test]
async fn the_same_answer_to_the_same_question_is_answered_from_the_cache() {
    let rig = rig(|_| {}).await;
    let (first, _) = rig.answered("ann", REWORDED).await;
    rig.review(first).await.expect("an opinion");
    let (second, _) = rig.answered("bob", REWORDED).await;
    let d = rig.review(second).await.expect("an opinion");
    assert_eq!(opinion(&d).coverage, 100);
    assert_eq!(
        rig.model.calls(),
        1,
        "the second identical answer made no call"
    );
    let (third, _) = rig
        .answered("cat", "The gizmo rotates and is azure, I think.")
        .await;
    rig.review(third).await.expect("an opinion");
    assert_eq!(rig.model.calls(), 2, "another text is another call");
}

#[tokio::test]
async fn the_daily_cap_stops_calls_for_the_day_and_says_so_once() {
    let rig = rig(|ai| ai.daily_cap = 1).await;
    let (a, _) = rig.answered("ann", REWORDED).await;
    rig.review(a).await.expect("an opinion");
    let (b, _) = rig
        .answered("bob", "The gizmo turns round and round, it is azure.")
        .await;
    let d = rig.review(b).await.expect("a notice");
    assert_eq!(d.effects, vec![Effect::AiUnavailable(Trouble::DailyCap)]);
    assert_eq!(rig.model.calls(), 1);
    rig.clock.advance(Duration::from_secs(86_400));
    let (c, _) = rig
        .answered("cat", "The gizmo whirls about and it is azure.")
        .await;
    rig.review(c).await.expect("an opinion the next day");
    assert_eq!(rig.model.calls(), 2);
}

#[tokio::test]
async fn short_or_off_topic_answers_never_get_more_credit_than_the_rubric() {
    let rig = rig(|_| {}).await;
    for (text, rubric, why) in [
        ("zorp quibble flanx mertz vodu plonk", 0, Withheld::OffTopic),
        ("it spins", 50, Withheld::TooShort),
    ] {
        let (id, _) = rig.answered(text, text).await;
        let d = rig.review(id).await.expect("an opinion");
        let o = opinion(&d);
        assert_eq!(o.opinion.withheld, Some(why), "{text}");
        assert_eq!((o.rubric_coverage, o.coverage), (rubric, rubric), "{text}");
    }
    assert_eq!(
        rig.model.calls(),
        2,
        "the model still reads them; it just earns nothing"
    );
}

#[tokio::test]
async fn nothing_is_sent_unless_the_server_turned_it_on_and_the_person_did_not_opt_out() {
    let rig = rig(|_| {}).await;
    rig.store.set_ai_enabled(GUILD, false).await.expect("off");
    let (id, user) = rig.answered("ann", REWORDED).await;
    assert!(rig.review(id).await.is_none());
    rig.store.set_ai_enabled(GUILD, true).await.expect("on");
    rig.store.set_ai_opt_out(user, true).await.expect("opt out");
    assert!(rig.review(id).await.is_none());
    assert_eq!(rig.model.calls(), 0, "nothing left the bot");
    rig.store.set_ai_opt_out(user, false).await.expect("opt in");
    assert!(rig.review(id).await.is_some());
    assert_eq!(rig.model.calls(), 1);
}

#[tokio::test]
async fn the_key_and_url_credentials_never_reach_the_log() {
    use std::sync::Mutex;
    #[derive(Clone, Default)]
    struct Sink(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Sink {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().expect("sink").extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    // Everything at debug level, without the production URL scrubbing, so
    // the reviewer's own lines are what is checked. A global subscriber (the
    // other tests of this binary log into it too): a thread-local one can
    // miss lines whose callsites another test thread cached as unwanted.
    static SINK: std::sync::OnceLock<Sink> = std::sync::OnceLock::new();
    let sink = SINK.get_or_init(|| {
        let sink = Sink::default();
        let out = sink.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_ansi(false)
            .with_writer(move || out.clone())
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        sink
    });
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("binds");
    let dead_port = closed.local_addr().expect("addr").port();
    drop(closed);
    for base in [
        None,
        Some(format!(
            "http://bot:hunter2@127.0.0.1:{dead_port}/v1?token=pw3"
        )),
    ] {
        let rig = rig(|ai| {
            if let Some(b) = &base {
                ai.base_url = Some(b.clone());
            }
        })
        .await;
        rig.model.always(Answer::Status(500));
        let (id, _) = rig.answered("ann", REWORDED).await;
        let d = rig.review(id).await.expect("a notice");
        assert!(matches!(d.effects[..], [Effect::AiUnavailable(_)]));
        let config = interview_bot::config::Config {
            ai: AiConfig {
                api_key: ApiKey::non_empty(KEY),
                ..AiConfig::default()
            },
            ..Default::default()
        };
        tracing::info!(?config, "the settings as they would be logged");
    }
    let logged = String::from_utf8(sink.0.lock().expect("sink").clone()).expect("utf-8");
    assert!(
        logged.contains("no AI opinion"),
        "the failures were logged: {logged}"
    );
    assert!(logged.contains("<redacted>"), "{logged}");
    for secret in [KEY, "hunter2", "pw3"] {
        assert!(!logged.contains(secret), "{secret} leaked:\n{logged}");
    }
}
