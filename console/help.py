"""What the console says to `help`."""

HELP = """\
Doorway console: the same bot as in Slack, talking to a pretend workspace.
  /door <decision>        size a decision (just /door opens a form)
  /coe <what went wrong>  open a Correction of Error review (its form, then its message)
  /prfaq <idea>           working backwards: answer the five questions, get the draft
                          PR/FAQ in your DM; Share widens its circle of readers
  /memo <link or title> [minutes]
                          a silent reading: press I'm reading, Comment privately, I've
                          finished; `tick +20m` ends it and reveals the comments
  /decisions [words] [one-way|two-way] [@owner] [open|closed] [since DATE]
                          search this channel's decisions (in a DM: your own); press
                          Next / Previous to page
  /commit, /chair, /digest … and any other slash command, as in Slack
  3   or   3 2026-12-04   press control [3]; dates and people are asked for if not given
  3 2                     pick option 2 of the menu [3] (or 3 and pick from its list)
  press <label> [value]   press the newest control (you may press) whose label starts
                          with that, e.g. press Share   or   press Review 2026-12-20
  react :chair: [3]       react to the newest message here, or to the one showing [3]
  shortcut size [3]       *Size this decision* on the newest message here (or [3]);
                          `shortcut commit [3]` *Disagree and commit*, `shortcut log` *Log
                          a decision* from anywhere
  tick +3d | +2h | 2026-12-04T09:00
                          move the clock forward, running everything due on the way,
                          each at its own moment
  as bob                  type as someone else (you, alice, bob, carol)
  channel #product        type in another channel (a new name makes the channel)
  home                    open your App Home
  people                  who is here, and their local time
  help                    this list
  quit                    leave (so does the end of input)
A control keeps its number while its message changes, as long as the message still shows it.
In forms: Enter keeps what's shown, '-' clears a field, ':cancel' closes the form;
a menu takes an option's number or words, a channel #name, a day and time 2026-03-02 09:30
(your time); a /command typed there closes the form (or question) and runs.
The console's clock and decisions are kept between sessions (./doorway-console.*)."""
