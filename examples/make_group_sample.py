#!/usr/bin/env python3
"""Generate examples/group_chat/chat.txt: a synthetic WhatsApp group chat export (Android, English, 24 h).

Three FICTIONAL friends with clearly different writing styles talk in a group called "Porto–Lyon–Manc":
"Ana Souza" (warm nurse in Porto, full sentences, "!", 🙂/😊, "haha"), "Ben Okafor" (terse developer in
Manchester, all lowercase, no final punctuation, "mate", "tbf", bursts of one-liners) and "Cleo Martin"
(excitable illustrator in Lyon, Capitalised Words, "!!!", ✨🎨💖, ALL CAPS bursts, a little French).
About 60 sessions from March to August 2024, each on one topic from a bank with slot fillers, plus the
noise a parser must label: the encryption notice, group creation, <Media omitted>, deleted and edited
messages and multi-line messages.  Stdlib only, fixed seed, byte-identical reruns:

    python examples/make_group_sample.py                 # writes examples/group_chat/chat.txt
    python examples/make_group_sample.py --out other.txt
"""

from __future__ import annotations

import argparse
import random
import re
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

SEED = 20240301
ANA, BEN, CLEO = "Ana Souza", "Ben Okafor", "Cleo Martin"
SPEAKERS = (ANA, BEN, CLEO)
FIRST = {ANA: "Ana", BEN: "Ben", CLEO: "Cleo"}
START = datetime(2024, 3, 1, 9, 12)
N_SESSIONS = 60
MEDIA, DELETED, EDITED = "<Media omitted>", "This message was deleted", " <This message was edited>"
ENCRYPTION = ("Messages and calls are end-to-end encrypted. No one outside of this chat, not even WhatsApp, "
              "can read or listen to them. Tap to learn more.")

SLOTS: dict[str, list[str]] = {
    "shifts": ["three", "four", "five"], "mins": ["20", "35", "45", "50"], "n": ["three", "five", "seven", "twelve"],
    "bug": ["missing comma", "timezone thing", "off by one", "cache that never cleared", "null from the api", "typo in an env var"],
    "colour": ["Pink", "Teal", "Gold", "Neon Green", "Lilac"],
    "commission": ["Book Cover", "Wedding Invite", "Album Art", "Poster For A Jazz Bar", "Tarot Deck", "Wine Label"],
    "dogcrime": ["ate my sock", "dug a hole in the sofa cushion", "barked at her own reflection", "stole my slipper"],
    "toy": ["squeaky octopus", "rope toy", "ball that lights up", "rubber sardine"],
    "catcrime": ["KNOCKED OVER MY INK", "ATE A PAINTBRUSH", "SAT ON MY PALETTE", "YELLED THROUGH A CLIENT CALL"],
    "waves": ["three", "five", "a dozen"], "grade": ["6b", "6c", "7a", "6a+"], "score": ["2-0", "3-1", "4-1", "1-0", "2-1"],
    "market": ["Croix-Rousse", "Saint-Antoine", "vintage", "riverside art"],
    "pt_food": ["francesinha", "bacalhau", "grilled sardines", "caldo verde", "pastel de nata"],
    "lyon_food": ["Tarte Praline", "Quenelles", "Croissants", "Bugnes", "Saint-Marcellin"],
    "day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"],
    "ben_thing": ["standup", "a deploy", "a code review", "the sprint demo"], "dogfit": ["harness", "tiny raincoat", "bandana"],
    "ben_food": ["meal deal", "chippy tea", "cheese toastie", "curry", "pot noodle"],
}

# Per topic and speaker: openers, on-topic lines (statements and questions) and reactions.
# "{to}" is the previous speaker's first name; " [pic]" means a <Media omitted> follows.
TOPICS: dict[str, dict[str, dict[str, list[str]]]] = {
    "work": {
        ANA: {"open": ["Just finished {shifts} night shifts in a row and I'm running on coffee and pastel de nata!", "Morning both! Survived another night shift, haha.", "Quick one before I sleep: how are your weeks going?"],
              "say": ["One of my patients tonight was so sweet, she kept asking if I'd eaten!", "The ward was chaos last night, but we managed.", "I have {shifts} nights this week, so I'll be a bit of a zombie, haha.", "My supervisor finally sorted the rota, so I get a proper weekend!", "Honestly, the best part of the job is when a patient goes home smiling.", "The neighbours are drilling again while I try to sleep after nights!", "Are you both remembering to take breaks? Please eat something proper!"],
              "react": ["Oh no, {to}! That sounds exhausting.", "Haha, that's so you, {to}!", "That's brilliant news, well done!", "You work too hard, {to}. Be kind to yourself!"]},
        BEN: {"open": ["spent 4 hours on a bug that was a typo", "standup ran 40 min again", "prod went down at 5pm on a friday obviously"],
              "say": ["the bug was a {bug} all along", "pushed a fix, tests green, going home", "new ticket says make it pop", "pairing with the new lad, tbf he's decent", "our pipeline takes {mins} min to fail", "nah still broken", "rewrote it, deleted more than i added", "pr approved first try, framing it", "deploying on a {day}, what could go wrong", "closed {n} tickets, {n} more appeared", "laptop died mid {ben_thing}"],
              "react": ["rough {to}", "fair", "nah that's grim", "tbf that's impressive", "proper graft that {to}", "mad"]},
        CLEO: {"open": ["OMG new commission just came in!!!", "Literally drawing since 7am, my hand is DEAD", "Bonjour!!! Guess who has a Deadline tomorrow"],
               "say": ["The client wants {colour} Everything, I'm screaming", "Finished the {commission} and it's Literally My Best Work!!!", "Bref, I'm redoing the background for the third time", "I have {n} commissions this month, trop bien but HELP", "Inking is the Best Part, don't @ me", "THE CLIENT SAID YES TO THE SKETCH!!!", "My tablet pen died mid-line omg"],
               "react": ["NOOO {to} that's Literally The Worst 😭", "omg {to} YES!!!", "Trop bien!!! So proud of you", "Wait WHAT", "haha Classic {to}"]}},
    "pets": {
        ANA: {"open": ["Pipoca has discovered the beach and now refuses to leave! [pic]", "Look at Pipoca after her bath! [pic]", "Pipoca stole a whole pastel de nata off the table this morning, haha."],
              "say": ["She waits by the door every time I get home from nights, my heart!", "Pipoca met a seagull at Matosinhos today and lost the argument, haha!", "The vet says Pipoca is perfectly healthy, just a bit dramatic!", "How is Moustache doing, Cleo? Is he still sleeping on your drawings?", "Ben, when are you getting a pet? You'd love it, I promise!", "Pipoca {dogcrime} and then looked at me like nothing happened!", "I bought her a {toy} and she's completely obsessed."],
              "react": ["Aww, give him a cuddle from me!", "Haha, {to}, that's adorable!", "Oh no, poor little thing!"]},
        BEN: {"open": ["need a pipoca update", "moustache pic or it didn't happen"],
              "say": ["still no pet here mate, i can barely keep a cactus alive", "neighbour's dog barks at me every morning tbf i deserve it", "pipoca > moustache, sorry cleo", "nah moustache wins, he has the attitude", "if i got a dog i'd call it kevin", "landlord says no pets anyway", "saw a dog in a {dogfit} at the wall today", "my mate's cat just stares at me, {n} hours straight"],
              "react": ["ha legend", "that's class", "outrageous behaviour", "fair play to him", "cheers {to}, needed that"]},
        CLEO: {"open": ["MOUSTACHE {catcrime} 😭😭", "Moustache Says Bonjour!!! [pic]", "omg I have to tell you what Moustache did"],
               "say": ["He Literally Sat On My Wet Painting!!! Paw prints on a commission", "Moustache is asleep in my paper drawer and I can't work, trop mignon", "He screamed at the pigeons for an hour, bref, normal day", "I drew Moustache as a Renaissance King and I'm OBSESSED [pic]", "Ben you NEED a cat, it's Therapy", "He knocked my coffee off the table While Looking At Me!!!", "ANA I NEED A PIPOCA PIC RIGHT NOW"],
               "react": ["OMG PIPOCA", "Trop mignon!!!", "I'm Literally Crying", "omg {to} STOP, too cute"]}},
    "weekend": {
        ANA: {"open": ["Anyone doing anything fun this weekend?", "Finally a weekend off! Surfing at Matosinhos if the waves are good!"],
              "say": ["The waves at Matosinhos were perfect this morning, I caught {waves} good ones!", "I'm going to the market for fresh fish and then a long nap, haha.", "My sister is visiting, so we're doing the whole tourist thing by the river!", "I fell off the board so many times, but it was so much fun!", "Saturday plan: surf, pastel de nata, sleep. Perfect!", "Did you have a good weekend? Tell me everything!"],
              "react": ["That sounds lovely, {to}!", "Haha, I want to come!", "Oh, that's the dream!"]},
        BEN: {"open": ["anyone about sat", "weekend plans", "finally friday"],
              "say": ["climbing sat morning then city on the telly", "nah just chilling tbf", "sent a {grade} at the wall, buzzing", "pub quiz last night, came 3rd", "rain all weekend obviously", "mum's for a roast sunday", "might do the peak district if it's dry", "{day} is climbing then {ben_food}", "walked {n} miles in the rain for a {ben_food}"],
              "react": ["nice one", "sounds mint", "jealous tbf", "fair", "go on {to}"]},
        CLEO: {"open": ["WEEKEND!!!", "Who's ready for the {market} market tomorrow?? Me. I'm ready."],
               "say": ["I have a stall at the {market} market on Saturday, trop bien!!!", "Sold {n} prints at the market, I'm Literally Rich Now (not really)", "Picnic by the Saône with the girls, bref, Perfect Day", "It's raining in Lyon AGAIN, I'm staying in with Moustache", "I bought Way Too Many Vintage Postcards at the market [pic]", "Ana did you surf?? Send Proof!!!"],
               "react": ["Trop bien!!!", "omg {to} I'm SO jealous", "That's Literally The Dream"]}},
    "food": {
        ANA: {"open": ["I just had the best {pt_food} of my life, I had to tell someone!", "What's everyone having for dinner?"],
              "say": ["Pastel de nata for breakfast again. No regrets, haha!", "My grandmother's {pt_food} recipe never fails!", "After nights I only want soup and toast, is that sad?", "You both have to try a francesinha when you visit!", "Ben, please tell me that wasn't a pot noodle again!"],
              "react": ["Haha, {to}, that's not a real dinner!", "Oh, that sounds delicious!", "I'm so hungry now!"]},
        BEN: {"open": ["{ben_food} again", "made a curry from scratch, actual adult"],
              "say": ["{ben_food} for tea, living the dream", "nah i don't cook on weeknights", "tried to make pasteis de nata, they look like hockey pucks [pic]", "there's a new ramen place by work, proper good", "burnt the rice somehow", "{day} is {ben_food} night", "had {lyon_food} once in lyon, still think about it", "cheers for the recipe ana, worked a treat"],
              "react": ["mint", "that looks unreal", "nah i'd burn it", "ok that's class {to}"]},
        CLEO: {"open": ["{lyon_food}!!! That's the post", "Je suis Literally Starving"],
               "say": ["I ate three {lyon_food} at the market, Bref, I regret Nothing", "Lyon is the Food Capital Of The World, I won't argue", "I made a Tarte Praline and it's PINK [pic]", "Ben that is NOT FOOD", "Ana send me the recipe!!!"],
               "react": ["OMG I want", "Trop bon!!!", "{to} you're a Genius"]}},
    "sport": {
        ANA: {"open": ["Morning surf at Matosinhos, the water was freezing but so worth it!", "Did City win, Ben? I saw people celebrating online!"],
              "say": ["I'm finally standing up on the board most of the time, haha!", "My instructor says I'm improving. I think he's just being kind!", "I ran along the beach with Pipoca this morning, she's faster than me!", "Please be careful on those walls, Ben!", "Cleo, you'd love surfing, I promise!"],
              "react": ["Well done, {to}!", "Haha, that's amazing!", "Oh no, are you okay?"]},
        BEN: {"open": ["city {score}", "climbing tonight"],
              "say": ["city won {score}, never in doubt", "nah bottled it", "sent my project at the wall finally", "forearms are wrecked", "that ref wants sacking", "bouldering session, skin's gone", "{day} night wall session if anyone fancies a video call", "city {score}, {n} points clear", "fancy watching the match in porto"],
              "react": ["get in", "class {to}", "respect tbf", "nah not for me that"]},
        CLEO: {"open": ["I Tried Yoga. I Am Broken.", "Football?? Is That Today??"],
               "say": ["I cycled along the Rhône for Two Hours, my legs are Spaghetti", "I only watch football for the snacks, Bref", "Ana teach me surfing and I'll teach you watercolours!!!", "Ben climbing walls is NOT a normal hobby", "Did a pilates class and the instructor was Literally An Angel"],
               "react": ["BRAVO {to}!!!", "omg so Sporty", "I could Never"]}},
    "visit": {
        ANA: {"open": ["So, when are you both coming to Porto? Pipoca is waiting!", "I've been thinking about August. Porto visit?"],
              "say": ["You're both welcome to stay at mine, I have a sofa bed and an air mattress!", "I'll take you to Matosinhos for a surf lesson!", "I'll book us a table for francesinhas on the first night!", "Pack a jumper, the evenings by the sea get chilly!", "I'm swapping my shifts so I'm free the whole week!", "Has everyone booked their flights yet?"],
              "react": ["Yay, I can't wait, {to}!", "Perfect! This is really happening!", "Haha, yes, Pipoca will love you!"]},
        BEN: {"open": ["flights to porto are like 60 quid", "booked"],
              "say": ["booked, landing thursday 6pm", "can i bring climbing shoes", "i'm not surfing mate, i'll hold the towels", "need a port tasting on the list", "sofa's fine, cheers ana", "how far is the beach from yours", "got {n} quid of euros already", "landing {day}, can someone grab me"],
              "react": ["sorted", "nice one {to}", "yeah sounds good", "cheers"]},
        CLEO: {"open": ["I'M COMING TO PORTO!!!", "Porto Porto Porto!!!"],
               "say": ["I'm going to Draw Everything, the tiles, the river, the bridges", "Booked my flight!!! Trop bien!!!", "I'll bring Tarte Praline from Lyon for everyone", "Ana I want to meet Pipoca SO BADLY", "Bref, I've already packed my sketchbooks"],
               "react": ["YESSS {to}", "omg it's Actually Happening", "Trop bien!!!"]}},
}
CLOSE = {ANA: ["Right, I need to sleep before my shift. Love you both!", "Off to walk Pipoca, talk later!", "Have a lovely evening, both of you!", "Night night, look after yourselves!"],
         BEN: ["right off to climb", "cheers all", "laters", "gotta go, standup", "night all"],
         CLEO: ["Bisous bisous", "Okay Back To Work!!!", "Bref, I'm off, bisous!", "Love you guys!!!"]}
REACT = {ANA: ["Haha, love that!", "Aww, {to}!", "That's so true, haha!", "Oh, I'm so happy for you, {to}!", "Haha, stop it, {to}!",
               "You two make me laugh so much!", "Wait, really? Tell me more!", "That's amazing, {to}!"],
         BEN: ["lol", "ha", "yeah fair", "nah", "same tbf", "yeah", "mad that", "classic {to}", "tbf yeah", "cheers {to}"],
         CLEO: ["HAHAHA", "omg", "Literally Me", "Oh là là", "{to} STOP 😭", "I'm DYING", "Trop drôle!!!", "Voilà, Exactly"]}
FIRST_SESSION = [(BEN, "made us a group, less chaos than three dms"), (ANA, "Yay, finally! Hi both! 😊"),
                 (CLEO, "OMG A GROUP CHAT!!! Trop bien ✨"), (BEN, "welcome"), (BEN, "ground rules: no voice notes over 2 min")]
MULTILINE = {"visit": (ANA, "Okay, Porto plan so far:\nThursday: Ben lands, francesinhas\nFriday: Cleo lands, beach with Pipoca\n"
                             "Saturday: surf lesson at Matosinhos! 😊"),
             "weekend": (CLEO, "Market Stall Checklist!!!\n- prints ✨\n- stickers\n- the Moustache tote bags 💖\nBref, I'm Ready")}
TOPIC_WEIGHTS = {"work": 5, "pets": 4, "weekend": 4, "food": 3, "sport": 3, "visit": 1}


def fill(rng: random.Random, text: str, to: str) -> str:
    """Replace {slot} with a random filler and {to} with the addressee's first name."""
    return re.sub(r"\{(\w+)\}", lambda m: to if m.group(1) == "to" else rng.choice(SLOTS[m.group(1)]), text)


def style(rng: random.Random, who: str, text: str) -> str:
    """Each speaker's surface habits on top of the line as written."""
    if who == BEN:
        return text.lower().rstrip(".!?")
    if who == ANA:
        return text + rng.choice([" 🙂", " 😊"]) if rng.random() < 0.12 and "😊" not in text else text
    if rng.random() < 0.07:
        text = text.upper()
    if rng.random() < 0.3 and text[-1:].isalpha():
        text += "!!!"
    return text + " " + rng.choice("✨🎨💖") if rng.random() < 0.3 else text


def line(rng: random.Random, who: str, pool: list[str], used: set[str], to: str) -> tuple[str, bool] | None:
    """A line from `pool` not yet used in this session (text, whether a photo follows), or None."""
    fresh = [p for p in pool if p not in used]
    if not fresh:
        return None
    raw = rng.choice(fresh)
    used.add(raw)
    return style(rng, who, fill(rng, raw.removesuffix(" [pic]"), FIRST[to])), raw.endswith(" [pic]")


def session(rng: random.Random, topic: str, size: int, evening: bool) -> list[tuple[str, str]]:
    """One conversation on `topic`: an opener, then reactions, on-topic lines and bursts until `size`
    messages or until the speaker has nothing new to say, then closers."""
    bank, used, out = TOPICS[topic], set(), []

    def send(who: str, pool: list[str], to: str, mention: bool = False) -> bool:
        got = line(rng, who, pool, used, to)
        if got is None:
            return False
        text, media = got
        if mention and rng.random() < 0.12 and FIRST[to].lower() not in text.lower():
            text = f"@{FIRST[to]} {text}"
        if who == ANA and out and out[-1][0] == ANA and out[-1][1] != MEDIA and not media:
            out[-1] = (ANA, out[-1][1] + " " + text)  # Ana writes one fuller message, not two
        else:
            out.append((who, text))
        if media:
            out.append((who, MEDIA))
        return True

    opener = rng.choices(SPEAKERS, [4, 3, 4])[0]
    send(opener, bank[opener]["open"], opener)
    while len(out) < size:
        prev, prev_text = out[-1]
        others = [s for s in SPEAKERS if s != prev]
        who = rng.choices(others, [6 if s == ANA else 3 for s in others])[0]
        reacted = not prev_text.endswith("?") and rng.random() < 0.55
        reacted = reacted and send(who, bank[who]["react"] + REACT[who], prev, mention=True)
        if (not reacted or rng.random() < (0.5 if who == ANA else 0.6)) and not send(who, bank[who]["say"], prev):
            if not reacted:
                break
        bursts = {BEN: 0.35, CLEO: 0.25, ANA: 0.0}[who]
        while rng.random() < bursts and out[-1][0] == who and send(who, bank[who]["say"], prev):
            bursts /= 2.5
    for who in rng.sample(SPEAKERS, rng.randint(1, 3)):
        closers = [c for c in CLOSE[who] if evening or not re.search(r"(?i)night|evening", c)]
        out.append((who, style(rng, who, rng.choice(closers))))
    return out


def schedule(rng: random.Random) -> list[datetime]:
    """Session start times: the group's first morning, then mornings or evenings spread over six months."""
    slots = rng.sample([(d, part) for d in range(1, 183) for part in (0, 1)], N_SESSIONS - 1)
    starts = [START + timedelta(minutes=3)]
    for day, part in sorted(slots):
        hour, minute = (rng.randint(7, 11), rng.randint(0, 59)) if part == 0 else (rng.randint(17, 21), rng.randint(0, 59))
        starts.append(datetime(2024, 3, 1, hour, minute) + timedelta(days=day))
    return starts


def pick_topic(rng: random.Random, when: datetime, last: str | None) -> str:
    weights = {t: w * (6 if t == "visit" and when.month >= 6 else 1) for t, w in TOPIC_WEIGHTS.items() if t != last}
    return rng.choices(list(weights), list(weights.values()))[0]


def timestamps(rng: random.Random, start: datetime, msgs: list[tuple[str, str]]) -> list[datetime]:
    """Same-speaker bursts land within a minute; replies take minutes, now and then a longer pause."""
    times, t = [], start
    for i, (who, _) in enumerate(msgs):
        if i:
            same = who == msgs[i - 1][0]
            t += timedelta(minutes=rng.randint(0, 1) if same else rng.choice([1, 1, 2, 2, 3, 4, 6, 9, 15]))
        times.append(t)
    return times


def add_noise(rng: random.Random, sessions: list[list[tuple[str, str]]], topics: list[str]) -> None:
    """Deleted messages, one edited message and the multi-line messages, in place."""
    for k in rng.sample(range(1, len(sessions)), 2):
        who = rng.choice([BEN, CLEO])
        pos = rng.randint(1, len(sessions[k]) - 1)
        fix = "wrong chat" if who == BEN else "oops Wrong Chat 🙈"
        sessions[k][pos:pos] = [(who, DELETED), (who, fix)]
    for topic, (who, text) in MULTILINE.items():
        k = topics.index(topic, 10)
        sessions[k].insert(len(sessions[k]) // 2, (who, text))
    k = rng.randrange(1, len(sessions))
    i = next(i for i, (who, t) in enumerate(sessions[k]) if who == ANA and t != MEDIA)
    sessions[k][i] = (ANA, sessions[k][i][1] + EDITED)


def generate() -> tuple[list[tuple[datetime, str, str]], int]:
    """All lines as (time, speaker or '' for a system line, text), and the number of sessions."""
    rng = random.Random(SEED)
    starts = schedule(rng)
    topics, last = [], None
    for when in starts:
        last = pick_topic(rng, when, last)
        topics.append(last)
    sessions = [session(rng, t, rng.randint(17, 30), s.hour >= 17) for t, s in zip(topics, starts)]
    sessions[0] = FIRST_SESSION + sessions[0]
    add_noise(rng, sessions, topics)
    rows = [(START, "", ENCRYPTION), (START, "", f'{BEN} created group "Porto–Lyon–Manc"'),
            (START + timedelta(minutes=1), "", f"{BEN} added {CLEO}")]
    for start, msgs in zip(starts, sessions):
        rows += [(t, who, text) for t, (who, text) in zip(timestamps(rng, start, msgs), msgs)]
    return rows, len(sessions)


def render(rows: list[tuple[datetime, str, str]]) -> str:
    return "".join(f"{t:%d/%m/%Y, %H:%M} - {who + ': ' if who else ''}{text}\n" for t, who, text in rows)


def statistics(rows: list[tuple[datetime, str, str]], n_sessions: int) -> dict[str, object]:
    per = Counter(who for _, who, _ in rows if who)
    total = sum(per.values())
    return {
        "messages": total,
        **{f"  {who}": f"{per[who]} ({100 * per[who] / total:.1f} %)" for who in SPEAKERS},
        "sessions": n_sessions,
        "system lines": sum(not who for _, who, _ in rows),
        "media omitted / deleted / edited": f"{sum(t == MEDIA for *_, t in rows)} / {sum(t == DELETED for *_, t in rows)}"
                                             f" / {sum(t.endswith(EDITED) for *_, t in rows)}",
        "multi-line messages": sum("\n" in t for *_, t in rows),
        "date range": f"{rows[0][0]:%d/%m/%Y %H:%M} → {rows[-1][0]:%d/%m/%Y %H:%M}",
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "group_chat" / "chat.txt")
    args = ap.parse_args()
    rows, n_sessions = generate()
    assert all(a[0] <= b[0] for a, b in zip(rows, rows[1:])), "timestamps must not go backwards"
    assert any(t.day > 12 for t, _, _ in rows), "need a day > 12 so the date order is unambiguous"
    per = Counter(who for _, who, _ in rows if who)
    assert all(0.25 <= per[w] / sum(per.values()) <= 0.40 for w in SPEAKERS), per
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "w", encoding="utf-8", newline="\n") as f:
        f.write(render(rows))
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e3:.0f} kB)")
    for key, value in statistics(rows, n_sessions).items():
        print(f"  {key}: {value}")


if __name__ == "__main__":
    main()
