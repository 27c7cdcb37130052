//! The rehearsals' documents for people and machines: `truce.simulation/1` ([`SimulationReport`], one
//! per `truce simulate`, API job and page) and `truce.tournament/1` ([`TournamentReport`]), with their
//! text ([`simulation_text`], [`tournament_text`]), CSV ([`tournament_csv`]) and SVG ([`trace_svg`],
//! [`tournament_svg`]). Running the rehearsals is `truce_sim`'s ([`truce_sim::simulate`],
//! [`truce_sim::parse_tournament`]); this module only describes what they did.

mod csv;
mod names;
mod rehearsal;
mod svg;
mod text;
mod tournament;

pub use csv::tournament_csv;
pub use names::{ActionName, EndName, ProtocolName};
pub use rehearsal::{
    ChangeReport, DocumentBudget, MAX_DOCUMENT_BYTES, MAX_PLOT_POINTS, MoveReport, Played,
    RunReport, RunSeatReport, SIMULATION_SCHEMA_ID, SeatReport, Simulation, SimulationReport,
    document, simulation_report,
};
pub use svg::{tournament_svg, trace_svg};
pub use text::{simulation_text, tournament_text};
pub use tournament::{
    TOURNAMENT_SCHEMA_ID, TournamentReport, TournamentRow, TournamentRun, TournamentSetting,
    tournament_report,
};
