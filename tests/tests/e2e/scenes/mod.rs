//! The scenes of one volunteer's session, in order; each builds on what the ones before left.

pub(crate) mod backup;
pub(crate) mod cases;
pub(crate) mod damage;
pub(crate) mod hearings;
pub(crate) mod incidents;
pub(crate) mod intake;
pub(crate) mod laptops;
pub(crate) mod lock;
pub(crate) mod network;
pub(crate) mod packets;
pub(crate) mod team;
pub(crate) mod traces;
