# The Table's pages: stances, analysis, timeline, rehearsal, scenarios and positions.
# Terms that carry politics follow docs/glossary.md.

# The timeline: the period before the first statement on file.
timeline-nothing-on-file = Nothing on file yet
timeline-nothing-on-file-help = the shaded dates come before the first statement on file, so every package looks open only because no party had spoken yet.

## Shared words

th-issue = Issue
th-option = Option
th-reading = Reading
none = none
list-or = { " or " }
of-total = { $part } of { $total }
rule = Rule

## Stances, readings, verdicts and the other closed vocabularies

stance-demanded = demanded
stance-acceptable = acceptable
stance-unknown = unknown
stance-opposed = opposed
stance-red_line = red line
reading-red_lines = red lines
reading-strict = strict
reading-pessimistic = pessimistic
reading-title-red_lines = Red-lines reading
reading-title-strict = Strict reading
reading-title-pessimistic = Pessimistic reading
reading-about-red_lines = Here only red lines are hard.
reading-about-strict = Here red lines are hard, and each party's current demands on an issue must be met.
reading-about-pessimistic = Here red lines are hard, and every stance recorded as unknown counts as a red line.
verdict-meets_demand = meets its demand
verdict-accepted = accepted
verdict-no_position = no position
verdict-unknown = unknown
verdict-crosses_opposition = crosses its opposition
verdict-crosses_red_line = crosses its red line
precision-day = exact day
precision-month = month only
precision-year = year only
qualifier-conditional = conditional
qualifier-proposed_in_draft = proposed in a draft
qualifier-reported_via_sources = reported via sources
qualifier-reported_by_counterpart = reported by the other side
qualifier-only_after_agreement = only after an agreement
qualifier-timing = about timing
qualifier-under_consideration = under consideration
qualifier-no_consensus = without consensus
basis-inferred = inferred

## A cited position

cite-on = on
cite-line = line { $line }
tag-stale = stale
    .title = Made more than a year before the date analysed
quote-paraphrase = paraphrase
quote-translated = translated
quote-document = document text

## The stance matrix

stances-title = Positions: { $scenario }
stances-add-position = Add a position
stances-versions = Versions and changes
stances-version = Version { $version } of
stances-intro = The current stance of each party on each option. Select a cell for the position, its date and its quoted source.
stances-colours = Colours:
stances-caption = Stances by party and option
stances-correct = correct

## The analysis

analysis-title = Analysis
analysis-confidential-with = With the confidential submissions of { $parties }.
analysis-confidential-none = No confidential submission applies: this is the analysis from public positions.
analysis-confidential-only = Only mediators see this analysis.
analysis-public-link = The analysis from public positions
analysis-not-counted = Not counted: { $count ->
    [one] { $count } submission no longer applies
   *[other] { $count } submissions no longer apply
} to this version of the scenario.
analysis-not-counted-rest = For these parties the analysis uses the scenario's own numbers until they submit again.
analysis-submission = submission { $id }
analysis-from-public = From the public positions.
analysis-with-confidential = With the parties' confidential submissions
analysis-mediators-only = mediators only
analysis-replay = Replay the positions known on
analysis-replay-empty = empty: every position on file
what-if-summary = What if… switch hard constraints off ({ $count } off)
what-if-help = Each box is one party's hard constraint. Tick the ones to drop, then analyse again: every reading is recomputed without them.
analysis-analyse = Analyse
analysis-reset = Reset
analysis-warning = Warning
what-if-banner = What if
what-if-banner-rest = these hard constraints are switched off in every reading:
relax-red-line = { $party } drops its red line on “{ $option }”
relax-unknown = { $party }'s unknown stance on “{ $option }” turns out not to be a red line
relax-demand = { $party } drops its demand on “{ $issue }” (for { $options })
relax-cross = { $party } drops its constraint { $rule }
analysis-counts = { $issues } issues, { $options } options, { $known } of { $positions } positions
analysis-known-on = known on { $date }
analysis-on-file = on file
analysis-parties = parties at the table
analysis-stale-rule = Statements made more than { $days } days before { $date } are marked
analysis-stale-rest = the party may have moved since.
readings-caption = What each reading finds
th-hard-constraints = Hard constraints
th-feasible = Feasible packages
th-blocked = Blocked issues
th-fewest = Fewest concessions
th-pareto = Pareto set
reading-feasible = { $feasible } of { $total } packages respect all { $constraints } hard constraints.
reading-infeasible = No package respects all { $constraints } hard constraints:
reading-blocked = { $count ->
    [one] { $count } issue is blocked
   *[other] { $count } issues are blocked
}
reading-assumed = Unknown stances held as red lines
concessions-at-fewest = At the fewest,
concessions-count = { $count ->
    [one] { $count } concession
   *[other] { $count } concessions
}
concessions-ways = would open a deal; there are { $count } minimal ways to do it (one alternative per blocked issue, combined).
concessions-blocked = Blocked
alternative-explained = If { $relax }, this opens { $opens }.
alternative-size = { $concessions ->
    [one] { $concessions } concession
   *[other] { $concessions } concessions
}, { $parties ->
    [one] { $parties } party
   *[other] { $parties } parties
}
coalitions = Coalitions
coalitions-no-reservation = The hard constraints of all parties at the table can be met together, but no such package meets every party's reservation value.
coalitions-all = Under the { $reading } reading, all parties at the table can agree.
coalitions-largest = The largest groups that can agree as things stand:
coalitions-smallest = The smallest groups that cannot:
bargaining = Bargaining solutions
bargaining-no-reservation = No feasible package gives every party at least its reservation value: each leaves some party better off walking away, so there is no deal all can accept.
bargaining-pareto = { $count } distinct utility profiles are Pareto-optimal among the feasible packages.
package-nash = Nash package
package-maximin = Maximin package
package-ks = Kalai–Smorodinsky package
package-ks-genius = Kalai–Smorodinsky package (Genius)
package-utilitarian = Utilitarian package
score-nash = Nash product
score-maximin = lowest utility
score-ks = spread
score-ks-genius = sum of differences
score-utilitarian = sum of utilities
th-equally-good = Equally good
account-utility = utility { $utility }
account-unmet-demand = unmet demand
analysis-draft = From a package to commitments
analysis-draft-link = draft an agreement from the Nash package
analysis-draft-others = or the maximin, Kalai–Smorodinsky or utilitarian one
analysis-same-document = The same document
analysis-text = text
analysis-command-line = on the command line,

## Robustness

robust-heading = Robustness
robust-intro = How much of the answer survives what is unknown: each draw reads every unknown stance as a red line with the probability given, gives the parties random weights where they have none, and recomputes feasibility and the Nash package (red-lines reading, every position on file). It runs in the background while this page shows its progress.
robust-draws = Draws
robust-seed = Seed
robust-unknown = Probability that an unknown is a red line
robust-run = Run
robust-progress = Robustness draws done
robust-starting = Starting…
robust-progress-text = { $done } of { $draws } draws
robust-done = { $draws } draws done (seed { $seed }).
robust-stopped = Stopped
robust-method = Each draw
robust-method-text = red-lines reading; each unknown stance is a red line with probability { $p }, otherwise a utility uniform between the party's opposed and acceptable utilities; parties without explicit weights get issue weights from Dirichlet(1)
robust-feasible = A feasible package exists in { $share } of the draws.
robust-blocked = How often each issue was blocked
robust-share = Share of draws
robust-nash = The packages most often the Nash package
robust-package = Package
robust-nash-column = Nash
robust-frontier = On the frontier
robust-feasible-column = Feasible
robust-distinct = { $count } distinct packages were on some draw’s Pareto frontier.

## The frontier

frontier-heading = Frontier
frontier-intro = Pick two or three parties: the plot shows the whole table's Pareto-optimal deals as they see them, which of those are efficient for them alone, and where the bargaining solutions fall. Each point's tooltip names its package.
frontier-parties = Parties
frontier-plot = Plot
frontier-pick = Or pick an efficient point
frontier-select-help = Select a point of the plot for its package and what it gives each of these parties.
frontier-efficient-count = { $efficient } of the { $total } distinct points are efficient for { $parties }.
frontier-data = Data
frontier-failed = The frontier could not be computed.
frontier-efficient = Efficient for { $parties }
frontier-whole = On the whole table’s frontier
frontier-one-of = one of { $count } packages worth the same to them
frontier-walks-away = walks away below { $value }

## The timeline

timeline-title = Timeline
timeline-from = From
timeline-to = To
timeline-step = Step
timeline-month = month
timeline-quarter = quarter
timeline-show = Show
timeline-as-table = The same as a table
timeline-date = Date
timeline-known = Positions known
timeline-reading-column = { $reading }: feasible packages / fewest concessions

## The rehearsal

sim-title = Rehearse the negotiation
sim-intro = Agents bargain for the parties over the packages the Table leaves open, under each protocol. Choose the protocols, an agent for each party, the deadline in rounds and the seed, then rehearse: the rehearsal runs in the background and this page shows it when it is done.
sim-about = Agents bargain for the parties over the { $packages } packages the { $reading } reading leaves open (Pareto set: { $pareto }).
sim-protocols = Protocols
sim-agents = Agents
sim-agents-help = One agent bargains for each party.
sim-agents-explained = What each agent does
sim-axes = The parties on the plot's axes
sim-axis-x = Across
sim-axis-y = Up
sim-rounds = Rounds
sim-seed = Seed
sim-rehearse = Rehearse
sim-queued = The rehearsal is queued behind others; this page shows it when it is done.
sim-running = The rehearsal is running; this page shows it when it is done.
sim-reload = Reload
sim-gets = { $party } gets { $utility }
sim-summary-agreement = Agreement in round { $round }: { $gets }.
sim-summary-none = No agreement: { $end } after { $rounds } rounds.
sim-walked-away = { $party } walked away.
sim-outcome = Agreement in round { $round } of { $deadline } after { $offers } offers. Distance to the Pareto set { $pareto }, to the Nash point { $nash }.
sim-no-agreement = No agreement ({ $end }) after { $rounds } rounds and { $offers } offers.
sim-agreement = Agreement
sim-welfare = welfare
sim-offers-table = The offers as a table
sim-round = Round
sim-by = By
sim-move = Move
protocol-saop = Alternating offers
protocol-stacked = Stacked offers
protocol-single-text = Single negotiating text
protocol-about-saop = Each party in turn makes an offer that goes round the table; the others accept it or answer with their own.
protocol-about-stacked = One offer stands at a time: each party in turn accepts it or replaces it with its own.
protocol-about-single-text = A mediator drafts one text and revises it after each party's objections, until all accept it.
agent-boulware = Boulware
agent-linear = Linear
agent-conceder = Conceder
agent-hardheaded = Hard-headed
agent-tft = Tit for tat
agent-tft-relative = Relative tit for tat
agent-micro = MiCRO
agent-random = Random
agent-about-boulware = Concedes late: holds close to its best package until the deadline nears.
agent-about-linear = Concedes at a steady pace, from its best package to its reservation value at the deadline.
agent-about-conceder = Concedes early, then slowly.
agent-about-hardheaded = Never concedes: offers and accepts only its best packages.
agent-about-tft = Answers the others' concessions with concessions of the same size.
agent-about-tft-relative = Answers the others' concessions in proportion to what they still had to give.
agent-about-micro = Concedes one step only when the others have made as many different offers.
agent-about-random = Offers and accepts at random levels: a baseline to compare with.
end-agreement = agreement
end-deadline = the deadline passed
end-walked_away = a party walked away
end-no_text = no text all could accept
action-offer = offer
action-accept = accept
action-text = text
action-object = objection
action-walk_away = walks away

## The position form

position-title-add = Add a position
position-title-correct = Correct a position
position-new = A new dated, sourced statement of a party's stance on one option.
position-correcting = Correcting the position at line { $line }.
position-checks = Saving checks the whole scenario as
position-checks-rest = does, and keeps it as a new version; nothing is overwritten.
position-other-errors = The scenario was not saved: the check found these problems elsewhere in it.
position-party = Party
position-option = Option
position-stance = Stance
position-date = Date of the statement
position-precision = Date precision
position-source = Source
position-new-source = Or a new source
position-new-source-id = Id
position-new-source-publication = Publication
position-new-source-url = Web address
position-quote = Quote (at most { $max } words)
position-quote-kind = Quote kind
position-basis = Basis
position-qualifier = Qualifier
position-qualifier-none = none
position-save = Check and save
position-choose-party = — choose a party —
position-choose-option = — choose an option —
position-choose-stance = — choose a stance —
position-choose-source = — choose a source —
position-new-source-choice = a new source, described below
position-expected = expected { $what }
position-error-party = Choose the party whose stance this is.
position-error-option = Choose the option the statement is about.
position-error-stance = Choose the stance.
position-error-date = Give the day of the statement: pick it in the calendar.
position-error-source = Choose a source, or describe a new one below.
position-error-new-source = You chose a new source: give it an id below.
position-error-quote-empty = Give the quote.
position-error-quote-long = The quote has { $words } words; at most { $max } are allowed. Shorten it, or quote a shorter passage.
quote-kind-direct = direct quote
quote-kind-paraphrase = paraphrase
quote-kind-document_text = document text
quote-kind-translated = translation
basis-explicit = explicit

## The scenario list and the versions

scenarios-title = Scenarios
scenarios-none = No scenario is on file yet.
scenarios-slug = Scenario
scenarios-name = Title
scenarios-version = Version
scenarios-counts = Parties, issues, positions
scenarios-pages = Pages
scenarios-analysis = analysis
scenarios-timeline = timeline
scenarios-add-position = add a position
scenarios-preferences = confidential preferences
versions-title = Versions of { $scenario }
versions-count = { $count ->
    [one] has { $count } version.
   *[other] has { $count } versions.
}
versions-analysis = Its analysis
versions-positions = its positions
versions-nav = Versions
versions-version = version { $version }
versions-changed = Version { $version }: what changed since version { $previous }
versions-first = Version { $version }: the first
versions-lines = { $added } line(s) added, { $removed } removed.
versions-download = Download the two versions and compare them with your own tools
versions-text = The text of this version

## The draft agreement

draft-title = Draft agreement
draft-package = Package
draft-draft = Draft
draft-package-nash = Nash
draft-package-maximin = maximin
draft-package-ks = Kalai–Smorodinsky
draft-package-utilitarian = utilitarian
draft-intro = A draft from the { $package } package, with day one on { $day }:
draft-not-the-agreement = It is a starting text for the mediator, not the agreement the Watch monitors, which is
draft-agreement-on-file = the agreement on file
draft-no-commitment = No commitment a log can check.
draft-must = { $obligor } must { $action }
draft-must-not = { $obligor } must not { $action }
draft-within = within { $days } days
draft-as-toml = The draft as TOML
draft-download = Download the TOML
draft-check = check it with

## A party's confidential preferences

prefs-title = Confidential preferences
prefs-stale = Your latest submission (number { $id }) no longer applies to this version of the scenario.
prefs-stale-rest = A mediator's analysis does not count it, and uses the scenario's own numbers for { $party } instead. Why:
prefs-again = Fill in the form below and submit again.
prefs-applies = Your latest submission applies to this version and counts in a mediator's analysis.
prefs-of = Confidential preferences of
prefs-who = Only mediators can read a submission, and only a mediator's analysis uses it; no other party sees your numbers. Each submission replaces your previous one in that analysis.
prefs-switch = Switch
prefs-reservation = Reservation value (0 to 1): a package worth less than this to you is worse than no deal
prefs-weight = Weight of this issue (any scale; shares are shown below)
prefs-submit = Submit confidentially
prefs-preview = Preview: your own utilities
prefs-preview-help = Blank utilities fall back to your current public stance's utility (shown in grey). Weights are normalised to sum to 1.
prefs-th-share = Weight share
prefs-th-best = Best option for you
prefs-th-nash = In the public Nash package
prefs-worth = The public Nash package would be worth { $nash } to you; your reservation value is { $reservation }
prefs-walk-away = you would rather walk away
prefs-no-nash = The public analysis has no Nash package to compare with.
prefs-submitted = Submitted for { $party } (submission { $id }). Only mediators can read it.
prefs-not-submitted = Not submitted

## The timeline chart

timeline-svg-title = Truce timeline: { $file }
timeline-svg-description = Feasible packages, blocked issues and fewest concessions per reading, { $from } to { $to }, parties { $parties }.
timeline-svg-heading = How the feasible space evolved · { $file }
timeline-svg-subheading = Parties: { $parties } · one point per date, positions as known on that date
timeline-svg-feasible = Feasible packages (logarithmic scale; 0 = no deal)
timeline-svg-blocked = Blocked issues
timeline-svg-concessions = Fewest concessions that open a deal
timeline-svg-tooltip = { $date } · { $reading }: { $feasible } feasible packages, { $blocked } blocked issue(s), fewest concessions { $concessions }
timeline-svg-months = Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec
sim-mediator = mediator

## A new scenario

scenarios-new = A new scenario, or a new version
scenarios-new-help = Import a domain folder, or paste or write the scenario's TOML (the format is in docs/table.md;
scenarios-new-help-rest = turns a Genius or GeniusWeb folder into it). Saving a slug that exists adds a version.
scenarios-import = Import a Genius or GeniusWeb domain
scenarios-slug-label = Slug
scenarios-import-files = The folder's files (the domain and one profile per party; .xml or .json)
scenarios-import-profiles = For a pool of profiles, the parties at the table (numbers or file names, comma-separated)
scenarios-import-button = Import
scenarios-write = Write or paste a scenario
scenarios-not-saved = The scenario was not saved: { $count ->
    [one] { $count } error
   *[other] { $count } errors
}. Correct them and save again.
scenarios-imported = Imported as version { $version } of { $slug }: { $parties } parties, { $issues } issues.
scenarios-not-imported = Not imported

## The frontier chart

frontier-svg-title = Pareto frontier for { $parties }
frontier-svg-description = { $points } deals on the whole table's Pareto set under the { $reading } reading, of which { $efficient } are efficient for { $parties } alone; with the Nash, Kalai–Smorodinsky, maximin and utilitarian deals and the disagreement point.
frontier-svg-heading = Frontier · { $parties } · { $reading } reading
frontier-svg-subheading = { $pareto } Pareto-optimal deals for the whole table ({ $points } distinct here); blue: the { $efficient } efficient for { $parties } alone
frontier-svg-axis = utility to { $party }
frontier-svg-tooltip = { $utilities }{ $efficient } · { $packages } package(s), e.g. { $package }
frontier-svg-efficient = efficient for these parties
frontier-svg-disagreement = Disagreement point: { $a } { $x }, { $b } { $y }
frontier-svg-whole = whole-table frontier
frontier-svg-no-deal = no deal
frontier-svg-nash = Nash
frontier-svg-ks = Kalai–Smorodinsky
frontier-svg-maximin = Maximin
frontier-svg-utilitarian = Utilitarian
version-reason = Why this version (optional, kept with it)
version-note = saved by { $who }, { $when }
version-time-unknown = time not recorded

## Sources anyone can check (issue 25)

stances-extract = Draft positions from an article
cite-source-page = The source, its archived text and every quote of it
quote-found = found in archive { $hash }, line { $line }
quote-near = near, in archive { $hash }, line { $line }:
quote-not-found = not found in archive { $hash }
quote-not-found-closest = not found in archive { $hash }; closest passage, line { $line }:
quote-no-archive = no archive
language-en = English
language-uk = Ukrainian
language-ru = Russian
source-title = Source { $source }
source-intro = The source as the scenario records it, the text of its archived file, and every quote of it, checked against that text.
source-back = Back to the positions
source-id = Id
source-publication = Publication
source-article = Title
source-url = Address
source-date = Published
source-retrieved = Retrieved
source-language = Language
source-media-type = File type
source-sha256 = SHA-256 of the file
source-unknown = not recorded
source-download = Download the archived file
source-download-note = (always as a file to save, never opened as a page; check it against the SHA-256)
source-citations = Quotes of this source
source-no-citations = No position quotes this source.
source-text = Archived text
source-text-not-held = The scenario records this source's file, but this server does not hold it: archive the file to see its text.
source-not-archived = This source is not archived: no file, so no quote of it can be checked.
source-cited-process = a process position
source-cited-constraint = a constraint
source-cited-position = a position
extract-title = Draft positions from an article
extract-intro = Paste an article, or choose a file to read it here; the positions it states are drafted with the scenario's words. Nothing is saved: accept a candidate to open the position form filled in with it, check it, and save it there.
extract-article = The article's text
extract-file = Or read a text or HTML file
extract-file-read = Read { $name } into the text box.
extract-file-unread = { $name } could not be read as text.
extract-dropped = Dropped; { $left } left.
extract-date = Day of the statements
extract-source = The article's source
extract-source-none = none chosen (pick one in the form)
extract-language = Language
extract-language-auto = as its letters show
extract-submit = Draft positions
extract-refused = The article was not read:
extract-found = { $count ->
    [one] One candidate position
   *[other] { $count } candidate positions
}
extract-none = No position found: no sentence names a party, an option and a stance together.
extract-review = Check each against the article: accept it into the position form, or drop it.
extract-accept = Accept
extract-drop = Drop
