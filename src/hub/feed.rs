//! Everything one stream follows, merged: the public history always, plus
//! the staff history (staff streams) or the viewer's own live channel
//! (viewer streams with a ticket). Viewers without a ticket, the thousands,
//! pay for nothing but the public follower.

use super::{FollowError, Follower, Frame, ViewerFeed};

pub struct Feed {
    public: Follower,
    audience: Option<Box<Audience>>,
}

/// The audience a stream follows beside the public one.
pub enum Audience {
    /// Moderators: the whole staff history.
    Staff(Follower),
    /// The specialist: the staff history without what is for moderators
    /// only (`Frame::moderators_only`); its `staff_seq`s may skip.
    Specialist(Follower),
    Viewer(ViewerFeed),
}

impl Feed {
    pub fn public(public: Follower) -> Self {
        Self {
            public,
            audience: None,
        }
    }

    pub fn with(public: Follower, audience: Audience) -> Self {
        Self {
            public,
            audience: Some(Box::new(audience)),
        }
    }

    /// The next frame of any audience, waiting for one if need be. Each
    /// audience keeps its own order; cancel-safe like the followers.
    pub async fn next(&mut self) -> Result<Frame, FollowError> {
        let Some(audience) = self.audience.as_deref_mut() else {
            return self.public.next().await;
        };
        let other = async {
            match audience {
                Audience::Staff(staff) => staff.next().await,
                Audience::Specialist(staff) => loop {
                    // Skipping is cancel-safe: a skipped frame is never due.
                    let frame = staff.next().await?;
                    if !frame.moderators_only {
                        break Ok(frame);
                    }
                },
                Audience::Viewer(viewer) => match viewer.next().await {
                    Some(frame) => Ok(frame),
                    None => std::future::pending().await,
                },
            }
        };
        tokio::select! {
            biased;
            frame = self.public.next() => frame,
            frame = Box::pin(other) => frame,
        }
    }

    /// The next frame if one is ready without waiting (for write coalescing).
    pub fn try_next(&mut self) -> Option<Frame> {
        if let Some(frame) = self.public.try_next() {
            return Some(frame);
        }
        match self.audience.as_deref_mut()? {
            Audience::Staff(staff) => staff.try_next(),
            Audience::Specialist(staff) => {
                std::iter::from_fn(|| staff.try_next()).find(|f| !f.moderators_only)
            }
            Audience::Viewer(viewer) => viewer.try_next(),
        }
    }
}
