# The Watch's pages: the agreement and its compliance.
# Terms that carry politics follow docs/glossary.md.

show = Show

## Agreement and compliance

agreement-title = Agreement and compliance
agreement-as-of-label = Compliance as of
agreement-as-of = compliance as of
agreement-computed = computed from the first { $entries ->
    [one] log entry
   *[other] { $entries } log entries
}.
agreement-strips = A status speaks of the lookback window; each strip shows every day from the first day judged:
agreement-day-violation = a day of verified violation,
agreement-day-ok = a day without,
agreement-day-pre = not yet in force.
agreement-dispute-note = A party's dispute is shown beside the status it concerns and sends the observation to the verifiers for review; it does not change the status, which only a verifier's transition can.
agreement-caption = Commitments and their status
agreement-col-commitment = Commitment
agreement-col-obligor = Obligor
agreement-col-status = Status
agreement-col-pam = PAM score (0–3)
agreement-col-days = Days of verified violation
agreement-col-why = Why, and the evidence
agreement-entries = entries
agreement-disputes = disputes
agreement-entry = entry { $index }
agreement-in = in
agreement-awaiting-review = (awaiting a verifier's review)
agreement-not-checkable = Not machine-checkable

## A commitment's status

status-not-in-force = not in force
status-awaiting-precondition = awaiting precondition
status-compliant = compliant
status-alleged-violation = alleged violation
status-verified-violation = verified violation
status-unverifiable = unverifiable: access denied
status-compliant-now = compliant now, violated earlier

## The log's status

log-title = Log status
log-origin = Origin
log-served = { $size ->
    [one] entry in the checkpoint served
   *[other] entries in the checkpoint served
} (the log holds { $newest }), root
log-cosignatures = { $count ->
    [one] { $count } witness cosignature on this checkpoint.
   *[other] { $count } witness cosignatures on this checkpoint.
}
log-audit = Anyone can mirror and audit the log:
log-audit-witness = adding { "--witness" } key files for a witness policy.
log-vkey = The log's public key is served at
log-vkey-confirm = fetch it once and confirm it with the mission out of band.
log-entry-pages = Each entry has a page,
log-entry-pages-proof = that proves it in the log in your browser;
log-prove = writes the same proof as a file.
log-witnesses = Witnesses
log-no-witness = This log asks no witness to cosign.
log-col-witness = Witness
log-col-key = Key
log-col-size = Last cosigned size
log-col-when = When (UTC)
log-col-this = This checkpoint
log-col-error = Last error
log-never = never
log-cosigned = cosigned
log-not-yet = not yet
log-hosted = This server also hosts these witnesses:
log-at = at
log-checkpoint = The signed checkpoint

## The map

map-title = Observation map
map-show = Show
map-from = From
map-to = to
map-view = Boundary view
map-class = Class
map-verification = Verification
map-party = Party
map-attributed = Attributed to
map-any-party = any party, or none
map-region = Map of the observations and the agreement's zones
map-loading = Loading the map…
map-legend = Legend
map-legend-note = Boundaries are for display only: an observation never carries a country. Circles count the observations they gather; zoom in to separate them.
map-observations = Observations
map-search = Search the list
map-search-hint = class, state, party, entry
map-col-entry = Entry
map-col-when = When (UTC)
map-col-class = Class
map-col-count = Count
map-col-sensor = Sensor
map-col-attributed = Attributed to
map-col-verification = Verification
map-col-map = Map
map-noscript = The map and the list need JavaScript. The same observations:
map-download = Download the observations:
map-acled = ACLED-like CSV
map-zones = the zones:

## The verification queue

queue-title = Verification queue
queue-intro = { $count ->
    [one] { $count } observation awaits verification
   *[other] { $count } observations await verification
}, oldest first: those received or under review, and those a party has disputed since a verifier decided them (the decision stands until you revise it). Paste your key file once; each button signs a verification entry in this browser (never for your own observation: the log refuses it) and submits it.
queue-keyfile = Your key file
queue-col-entry = Entry
queue-col-day = Day
queue-col-class = Class
queue-col-state = State
queue-col-author = Author key
queue-col-verify = Verify
queue-disputed-by = disputed by { $parties }
queue-corroborate = Corroborate { $index }
queue-unverifiable = Unverifiable { $index }
queue-reject = Reject { $index }
queue-take-up = Take up { $index }

## Boundary views (what the map draws under the observations)

view-natural-earth-4-1-0 = Boundaries as drawn by Natural Earth (lines of de facto control)
view-visionscarto-1-0-0 = Boundaries as recognised by the UN General Assembly

## Recording an observation

observe-title = Record an observation
observe-intro = Fill in what you saw, heard or recorded, load your key file, and sign: the observation is signed in this browser and only the signed entry is sent. Coordinates only: no country.
observe-when-where = When and where
observe-start = Start (UTC)
observe-end = End (UTC)
observe-lat = Observer latitude (°)
observe-lon = Observer longitude (°)
observe-controlled-by = Area controlled by (as observed)
observe-unknown = unknown
observe-what = What
observe-sensor = Sensor
observe-class = Class
observe-count = Count
observe-approximately = approximately
observe-bearing = Bearing to the event (°, optional)
observe-distance = Distance (m, optional)
observe-weapon = Weapon assessed as (optional)
observe-no-weapon = none
observe-calibre = Calibre (mm)
observe-note = Note (optional)
observe-signature = Signature
observe-keyfile = Your key file (paste its three lines)
observe-submit = Sign and submit

## The daily report's page

report-title = Daily report { $date }
report-day = Day
report-download = Download this report:
report-compliance-as = compliance as
report-observations-as = the observations as

## An entry's page

entry-title = Entry { $index }
entry-what-it-says = What it says
entry-author = author
entry-seq = sequence number
entry-when = when (UTC)
entry-position = observer's position
entry-event = event's position (from bearing and distance)
entry-near = nearest place
entry-controlled-by = area controlled by (as observed)
entry-sensor = sensor
entry-class = class
entry-count = count
entry-count-about = about { $count }
entry-bearing = bearing
entry-distance = distance
entry-weapon = weapon assessed as
entry-calibre = calibre { $mm } mm
entry-note = note
entry-lat-north = { $deg }° N
entry-lat-south = { $deg }° S
entry-lon-east = { $deg }° E
entry-lon-west = { $deg }° W
entry-metres = { $m } m

# The map's script: templates whose { $name } the script fills in.
map-js-boundaries = Boundaries: { $view } (Ukraine shaded yellow).
map-js-observation = observation: { $state }
map-js-sensor = sensor: { $sensor }
map-js-approximate = (approximate)
map-js-attributed = attributed to: { $parties }
map-js-nobody = nobody yet
map-js-verification = verification: { $state }
map-js-entry = entry { $index }: fields, history and proof
map-js-show-entry = Show entry { $index } on the map
map-js-marker = { $class } (entry { $index })
map-js-status = Observations shown: { $shown } of { $total }.
map-js-status-span = Observations shown: { $shown } of { $total }, from { $from } to { $to }.
map-js-start = the start
map-js-end = the end
map-js-failed = The map could not load: { $error }. Reload the page; the list and downloads below still work.
map-js-zone-km = { $km } km of { $line }
map-col-place = Place
map-place-go = Go
map-place-found = { $place }: shown on the map.
zone-contact_line = line of contact
zone-withdrawal_line = withdrawal line
zone-security_zone = security zone
zone-disengagement_area = disengagement area

# The observer app (/field/).
field-title = Truce field
field-setup = Set up this device
field-setup-intro = Once, with a connection: your API token, your sealed key file and its passphrase. The key is opened here and kept on this device only; it cannot be read back out. The sealed key file is made with:
field-token = API token
field-sealed = Sealed key file
field-sealed-file = …or choose the file
field-passphrase = Passphrase
field-import = Import the key
field-record = Record an observation
field-when-where = When and where
field-start = Start (UTC)
field-minutes = Lasted (minutes)
field-lat = Latitude (°)
field-lon = Longitude (°)
field-locate = Use this device's position
field-controlled-by = Area controlled by (as observed)
field-what = What
field-class = Class
field-sensor = Sensor
field-count = Count
field-approximately = approximately
field-bearing = Bearing to the event (°, optional)
field-distance = Distance (m, optional)
field-note = Note (optional)
field-photos = Photos, video or sound (optional)
field-sign = Sign and queue
field-queue = Queue
field-sync = Sync now
field-online = Online: the queue syncs by itself.
field-offline = Offline: observations are signed and queued on this device.

# The daily report (Markdown and HTML). The English text is the authoritative one: its hash is what the
# log can hold.
daily-title = Daily report { $date } — { $mission }
daily-translation = This is a translation. The authoritative text is the report in English, the one whose hash the log can hold.
daily-computed = Agreement: { $agreement } ({ $id }). Computed from the first { $entries } log entries. Boundary view of the map: { $view }.
daily-by-class = Observations and events by class
daily-by-class-note = An observation is one signed entry; it may count several events (three explosions heard at once are one observation of 3 events).
daily-col-class = class
daily-col-obs-today = observations today
daily-col-events-today = events today
daily-col-obs-yesterday = observations yesterday
daily-col-events-yesterday = events yesterday
daily-col-change = change in events
daily-by-zone = Events by zone (patrols excluded)
daily-by-zone-note = Each line's security zones are counted as bands that do not overlap: an event 30 km from a line counts in its 25–35 km band only.
daily-col-zone = zone
daily-col-today = today
daily-col-yesterday = yesterday
daily-col-change-short = change
daily-restrictions = Access restrictions
daily-none-recorded = None recorded.
daily-restriction = entry { $index }, { $time }, in an area controlled by { $party } as observed ({ $state })
daily-deadlines = Deadlines in the next 7 days
daily-none = None.
daily-compliance = Compliance as of { $date }
daily-dispute-note = A party's dispute does not change a status; it is shown beside it, and only a verifier's review can revise the verdict.
daily-col-commitment = commitment
daily-col-status = status
daily-col-pam = PAM
daily-col-days = violation days
daily-col-evidence = evidence (log entries)
daily-col-disputed = disputed by the parties
daily-dispute = { $party } in entry { $index } (of entry { $of }): { $text }
daily-dispute-awaiting = { $party } in entry { $index } (of entry { $of }, awaiting review): { $text }
daily-on-map = Observations on the map (HTML report): { $count }.
daily-map = Map of the day's observations
daily-chart-title = Events by class (each observation counts its events), { $date } against the day before
daily-chart-caption = Events by class, today and yesterday.
daily-map-title = Observations of { $date }, with the agreement's lines; boundaries: { $view }
daily-map-entry = entry { $index }: { $class } ({ $state })
daily-map-note = boundaries: { $view } (display only); lines schematic
daily-map-caption = Observations of { $date }; country boundaries from the view { $view } (display only).
field-js-importing = Importing…
field-js-refused-token = the server refused the token (HTTP { $status })
field-js-not-your-key = this key is not yours on this server (HTTP { $status }): ask the mission to record that you hold it
field-js-not-imported = Not imported: { $error }
field-js-no-position = This device gives no position: type it in.
field-js-no-position-error = No position from the device ({ $error }): type it in.
field-js-bad-start = the start time is not a date
field-js-signed-queued = Signed as number { $seq } and queued (item { $id }).
field-js-not-recorded = Not recorded: { $error }
field-js-already = already recorded: the log already holds number { $seq } of this key, so this copy was not stored again
field-js-summary = Observations on this device: { $total }. Waiting: { $queued }; sent: { $sent }; recorded with a verified receipt: { $recorded }; already recorded: { $duplicate }; refused: { $refused }.
field-js-item = Number { $seq }: { $summary }
field-js-files = files: { $count }
field-js-waiting = waiting to be sent
field-js-sent = sent: entry { $index }, waiting for its proof
field-js-recorded = recorded at entry { $index }; proof verified on this device against the checkpoint of size { $size }
field-js-refused = refused: { $reason }
field-js-signing-as = Signing as { $name } (key { $key }…); next number { $next }.
queue-col-observer = Observer
queue-on-map = on the map
queue-media = media files: { $count }
queue-reason = Reason for { $index }
queue-key-once = Pasted once per session: the key is kept in this browser as a key that cannot be read back out, and used in this session only.
queue-js-now = Entry { $index } is now { $state } (log entry { $entry }).
queue-js-failed = Not submitted: { $error }
queue-js-need-reason = Say why entry { $index } is unverifiable or rejected: the reason is signed with the verification.
queue-js-no-key = Paste your key file first.
queue-js-kept = Your key { $name } is loaded for this session.
queue-js-done = done
observe-js-sending = Sending…
observe-js-already = Already recorded: the log already holds an entry with this sequence number of your key, most likely this observation, whose first answer was lost on the way (or another device of yours used the number first). Nothing was added; the log page lists what is recorded.
observe-js-not-yet = Not recorded yet: { $why } ({ $error }). The signed observation is kept on this page: press "Send again" to send the same one; if it had arrived, the log says so and adds nothing.
observe-js-network-failed = the network failed
observe-js-server-answered = the server answered { $status }
observe-js-again = Send again
observe-js-appended = Signed by { $name } and appended to the log at entry { $index }:
observe-js-see-entry = see entry { $index } and its proof
observe-js-not-recorded = Not recorded: { $error }
observe-js-paste-again = Correct it, paste your key file again, and sign again.
observe-js-placed = { $place }: its position is filled in; move it to where you were.
agreement-provision = Point { $number }: { $title }
agreement-must = Obligation
agreement-must-not = Prohibition
agreement-strip = Days of verified violation between { $first } and { $last }: { $days }
agreement-pam-what = What the PAM score says
agreement-pam-explained = The score follows the Peace Accords Matrix's scale of implementation, computed from the verified record over the whole period in force: 3, no day of verified violation; 2, violations, but none in the last { $days } days; 1, recent violations and some days without; 0, not in force yet, or no day without a verified violation.
