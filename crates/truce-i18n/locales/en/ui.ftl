# The pages' shared words: the layout, the navigation, the error pages, the home and sign-in pages.
# Terms that carry politics follow docs/glossary.md.

## Layout

site-name = Truce
page-title = { $title } — Truce
nav-main = Main
nav-home = Home
nav-scenario = Scenario
nav-choose = choose
nav-scenarios = Scenarios
nav-positions = Positions
nav-analysis = Analysis
nav-timeline = Timeline
nav-rehearse = Rehearse
nav-agreement = Agreement
nav-map = Map
nav-observe = Observe
nav-queue = Verification queue
nav-report = Daily report
nav-log = Log
nav-language = Language
sign-in = Sign in
sign-out = Sign out
skip-to-content = Skip to the content

## Roles, as a person reads them

role-mediator = mediator
role-analyst = analyst
role-party_delegate = party delegate
role-observer = observer
role-verifier = verifier
role-witness_operator = witness operator
role-public = public

## Error pages

error-home = Go to the home page
error-unauthorized-title = Please sign in
error-unauthorized = This page is for signed-in users. Sign in with the token your mediator or mission gave you.
error-forbidden-title = Not for your role
error-not-found-title = Page not found
error-not-found = There is nothing at this address. Check it for typing errors, or follow a link from the menu.
error-missing-title = Not found
error-invalid-title = Cannot be answered
error-invalid = The request cannot be answered: { $why }. Correct what is named and try again.
error-conflict-title = Conflict
error-too-large-title = Too large
error-too-large = Send something smaller.
error-timeout-title = Too slow
error-busy-title = Busy
error-busy = Wait a few seconds and reload the page; nothing is lost.
error-internal-title = Something went wrong
error-internal = The server could not answer this page. Nothing you sent was stored unless the page said so. Reload in a moment; if it happens again, tell the server's operator the time it happened.

## Home

home-intro = Truce holds the parties' positions and what the Table finds in them, the agreement as checkable commitments, and the observer mission's signed log, from which anyone recomputes compliance.
home-scenarios = Scenarios
home-analysis = analysis
home-timeline = timeline
scenario-count = { $count ->
    [one] { $count } scenario on file
   *[other] { $count } scenarios on file
}
home-log = The log holds { $entries ->
    [one] { $entries } signed entry
   *[other] { $entries } signed entries
}.
home-compliance = Compliance with the agreement
home-compliance-rest = is computed from them.
home-sign-in = Sign in with your token to see what your role may see.

## Sign-in

login-title = Sign in
login-token = Token
login-cookie = The token is not kept: signing in opens a session, whose id (not the token) this site keeps in an HttpOnly cookie.
login-signed-in = You are signed in as { $name } ({ $role }). Signing in with another token here switches to its user; "Sign out" ends this session.

## A home for each role: what to do first

home-first = Start here
home-mediator = Keep the Table: put the parties' positions on file with their sources, read what they allow, and draft the agreement.
home-analyst = Keep the Table: put the parties' positions on file with their sources, and read what they allow.
home-party_delegate = Read the Table as every party sees it, send your party's confidential preferences to the mediator, and answer the mission's observations.
home-observer = Record what you see: in the field with the observer app, which works offline, or in this browser.
home-verifier = Decide what the mission's observations establish: { $count ->
    [one] { $count } observation awaits you
   *[other] { $count } observations await you
} in the verification queue.
home-witness_operator = Your witness cosigns the log's checkpoints; check that it keeps up on the log page.
home-public = Follow the agreement: each commitment's status, the observations on the map, the daily report, and the signed log anyone can audit.
home-link-positions = Positions of { $scenario }
home-link-preferences = Your party's preferences in { $scenario }
home-link-field = The observer app
home-link-observe = Record an observation here
home-link-queue = The verification queue
home-link-agreement = The agreement and its compliance
home-link-map = The map of observations
home-link-report = The daily report
home-link-log = The log and its witnesses
home-link-scenarios = All scenarios
home-own-entries = Your latest observations
home-party-entries = The latest observations attributed to your party: open one to concur with it or dispute it
