//! One client's history in date order: returns to Mexico, hearings, screenings, incidents.

use serde::{Deserialize, Serialize};

use crate::codes::Port;
use crate::dates::PartialDate;
use crate::error::Result;
use crate::hearings::Hearing;
use crate::incidents::Incident;
use crate::screenings::Screening;
use crate::vault::Vault;

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEvent {
    Returned { date: String, port: Option<Port> },
    Hearing { hearing: Box<Hearing> },
    Screening { screening: Box<Screening> },
    Incident { incident: Box<Incident> },
}

#[derive(Debug, Clone, Serialize, Deserialize, specta::Type)]
pub struct TimelineItem {
    /// "YYYY", "YYYY-MM" or "YYYY-MM-DD": the event's date with its precision; empty for an
    /// incident whose date is unknown (placed by its bounds, or last).
    pub date: String,
    pub event: TimelineEvent,
}

fn sort_key(date: &str) -> chrono::NaiveDate {
    PartialDate::parse(date).map_or(chrono::NaiveDate::MAX, |d| d.first_day())
}

impl Vault {
    pub fn timeline(&self, client_id: &str) -> Result<Vec<TimelineItem>> {
        let client = self.client(client_id)?;
        let mut items = Vec::new();
        if let Some(date) = client.returned_on.clone() {
            items.push(TimelineItem {
                date: date.clone(),
                event: TimelineEvent::Returned {
                    date,
                    port: client.return_port,
                },
            });
        }
        for h in self.hearings_for_client(client_id)? {
            items.push(TimelineItem {
                date: h.at_court.local[..10].to_owned(),
                event: TimelineEvent::Hearing {
                    hearing: Box::new(h),
                },
            });
        }
        for s in self.screenings_for_client(client_id)? {
            items.push(TimelineItem {
                date: s.input.screened_on.clone(),
                event: TimelineEvent::Screening {
                    screening: Box::new(s),
                },
            });
        }
        let mut keyed: Vec<_> = items.into_iter().map(|i| (sort_key(&i.date), i)).collect();
        for i in self.incidents_for_client(client_id)? {
            let key = i.input.earliest_day().unwrap_or(chrono::NaiveDate::MAX);
            keyed.push((
                key,
                TimelineItem {
                    date: i.input.date_start.clone(),
                    event: TimelineEvent::Incident {
                        incident: Box::new(i),
                    },
                },
            ));
        }
        // Stable: equal dates keep the order above (return, hearing, screening, incident).
        keyed.sort_by_key(|(key, _)| *key);
        Ok(keyed.into_iter().map(|(_, i)| i).collect())
    }
}
