//! `serve --demo`: a session narrated by a built-in script that replays a
//! fictional, de-identified total knee replacement at a readable pace, with
//! a scripted audience asking, moderating and answering, so a newcomer sees
//! updates arrive at once and questions answered within the first minute. The script loops: after the case it
//! pauses, then starts over.

mod qa;

use crate::app::App;
use crate::domain::SessionState;
use crate::error::Kind;
use crate::protocol::{CreateSession, PostUpdate};
use crate::{Error, Result};
use std::time::Duration;

pub const SLUG: &str = "demo";
const STEP: Duration = Duration::from_secs(4);
const BETWEEN_CASES: Duration = Duration::from_secs(20);

/// (phase, text). Fictional; no real patient, date or place.
const SCRIPT: &[(&str, &str)] = &[
    (
        "Preparation",
        "Good morning. Today: a primary total knee replacement, right side, in a fictional teaching case.",
    ),
    (
        "Preparation",
        "Time-out done: correct side marked, antibiotics given within the hour, implants checked in the room.",
    ),
    (
        "Preparation",
        "Spinal anaesthesia in place. Tourniquet on the thigh, not yet inflated.",
    ),
    (
        "Exposure",
        "Tourniquet inflated. Midline skin incision, about 15 cm, centred on the patella.",
    ),
    (
        "Exposure",
        "Medial parapatellar arthrotomy. Patella everted; fat pad partly excised for the view.",
    ),
    (
        "Exposure",
        "Findings: full-thickness cartilage loss medially, large osteophytes. Typical varus osteoarthritis.",
    ),
    (
        "Femur",
        "Entry hole above the notch; intramedullary guide in, set to 5 degrees of valgus.",
    ),
    (
        "Femur",
        "Distal femoral cut made. Checking the resection: 9 mm off the intact lateral condyle.",
    ),
    (
        "Femur",
        "Sizing the femur from the posterior condyles: a size 4 fits without notching the anterior cortex.",
    ),
    (
        "Femur",
        "Anterior, posterior and chamfer cuts done with the 4-in-1 block.",
    ),
    (
        "Tibia",
        "Extramedullary tibial guide aligned to the second metatarsal. Posterior slope 3 degrees.",
    ),
    (
        "Tibia",
        "Proximal tibial cut. Resected piece shows the worn medial plateau clearly.",
    ),
    (
        "Balancing",
        "Spacer block in: extension gap tight medially. Releasing the deep MCL fibres step by step.",
    ),
    (
        "Balancing",
        "Gaps now equal and rectangular in flexion and extension with a 10 mm spacer.",
    ),
    (
        "Trial",
        "Trial components in. Full extension, flexion to 125 degrees, patella tracks centrally.",
    ),
    (
        "Implantation",
        "Bone surfaces washed and dried. Cementing tibia first, then femur.",
    ),
    (
        "Implantation",
        "Components seated, excess cement removed. Polyethylene insert 10 mm clicked in.",
    ),
    (
        "Closure",
        "Tourniquet released: bleeding points controlled. Total tourniquet time 58 minutes.",
    ),
    (
        "Closure",
        "Capsule closed in flexion, then subcutaneous layer and skin clips.",
    ),
    (
        "Closure",
        "Dressing on. Case complete, no complications. Thank you for watching; questions welcome.",
    ),
];

/// Makes sure the demo session exists and can run; returns its slug.
pub async fn prepare(app: &App) -> Result<String> {
    match app.session(SLUG).await {
        Ok(_) => {}
        Err(e) if e.kind() == Kind::NotFound => {
            app.create_session(CreateSession {
                title: "Demo: total knee replacement (fictional case)".into(),
                slug: Some(SLUG.into()),
                hashtag: Some("GalleryDemo".into()),
                description: Some("A scripted narrator replays a fictional, de-identified procedure so you can see how Gallery works.".into()),
                narrator: Some("Demo narrator".into()),
                ..CreateSession::default()
            })
            .await?;
        }
        Err(e) => return Err(e),
    }
    Ok(SLUG.into())
}

/// Narrates the script in a loop until the server shuts down.
pub async fn narrate(app: App, slug: String) {
    let shutdown = app.shutdown().clone();
    tokio::select! {
        _ = shutdown.cancelled() => {}
        result = narrate_forever(&app, &slug) => {
            if let Err(e) = result {
                tracing::warn!(error = %e, "demo narrator stopped");
            }
        }
    }
}

async fn narrate_forever(app: &App, slug: &str) -> Result<()> {
    loop {
        let session = app.session(slug).await?;
        if session.state == SessionState::Ended {
            return Err(Error::conflict(
                "session_ended",
                "the demo session was ended; delete the data directory to restart it",
            ));
        }
        app.set_state(session.clone(), SessionState::Live).await?;
        let narrator = App::built_in_narrator(&session);
        let mut audience = qa::Audience::join(app, &session).await?;
        for (i, (phase, text)) in SCRIPT.iter().enumerate() {
            if i > 0 {
                tokio::time::sleep(STEP).await;
            }
            let req = PostUpdate {
                text: (*text).into(),
                phase: Some((*phase).into()),
                client_id: None,
                confirm: false,
            };
            app.post_update(&session, &narrator, req).await?;
            audience.after_update(app, &session, i).await;
        }
        tokio::time::sleep(STEP).await;
        app.set_state(app.session(slug).await?, SessionState::Paused)
            .await?;
        tokio::time::sleep(BETWEEN_CASES).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ScreeningConfig;
    use crate::domain::screen::{Action, Screen};

    #[test]
    fn the_demo_script_passes_the_privacy_screen() {
        let screen = Screen::new(ScreeningConfig::default().policy().unwrap());
        for (_, text) in SCRIPT {
            let verdict = screen.screen(text);
            assert!(
                matches!(verdict.action, Action::Pass | Action::Flag),
                "{text}: {verdict:?}"
            );
        }
    }
}
