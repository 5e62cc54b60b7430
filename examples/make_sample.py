#!/usr/bin/env python3
"""Generate examples/sample_chat/result.json: a synthetic Telegram Desktop chat export.

The chat is between two FICTIONAL friends with deliberately different writing styles:

* "Mia Chen"      - the persona to fine-tune on: short lowercase bursts, emoji, slang,
                    no final punctuation, questions without question marks, the odd typo.
* "Theo Hartmann" - long, careful, fully punctuated British English; rarely uses emoji.

The file follows the single-chat JSON layout that Telegram Desktop writes with
"Export chat history" (machine-readable JSON): a top-level object with name/type/id and a
chronological "messages" list.  It includes the noise a parser has to cope with: stickers,
photos, voice messages, phone-call service messages, rich-text messages whose "text" is a
list of strings and entity dicts, replies and edited messages.

Everything is deterministic (fixed seed, stdlib only, no network):

    python examples/make_sample.py            # writes examples/sample_chat/result.json
    python examples/make_sample.py --out x.json
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

SEED = 20240301
MIA, MIA_ID = "Mia Chen", "user111111111"
THEO, THEO_ID = "Theo Hartmann", "user222222222"
CHAT_ID = 4815162342
START = datetime(2024, 3, 1, 18, 40)
END = datetime(2024, 8, 31, 23, 59)
NOT_INCLUDED = "(File not included. Change data exporting settings to download.)"
EXACT_GAP = timedelta(days=2, minutes=1)  # one gap between sessions is exactly this long
EXACT_GAP_AFTER_SESSION = 24               # ...after this session (0-based)

# --------------------------------------------------------------------------- slot fillers

SLOTS: dict[str, list[str]] = {
    "day": ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"],
    "Day": ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
    "coworker": ["priya", "jonas", "big dave", "the new intern", "my manager", "rachel from sales", "tom"],
    "Coworker": ["Marcus", "my supervisor", "Eleanor from finance", "the new project lead", "Hamid", "our director"],
    "deliverable": ["the deck", "the wireframes", "the client mockups", "the whole onboarding flow", "the brand refresh", "the q2 report"],
    "Deliverable": ["the quarterly forecast", "the planning application", "the site survey report", "the budget review", "the consultation summary"],
    "lisbon_spot": ["alfama", "belem", "lx factory", "time out market", "sintra", "bairro alto", "the pink street", "tram 28", "cascais"],
    "Lisbon_spot": ["Alfama", "Belém", "the LX Factory", "Sintra", "the Gulbenkian", "the Miradouro da Senhora do Monte", "Cascais", "the Jerónimos Monastery"],
    "pt_food": ["pasteis de nata", "bifanas", "grilled sardines", "bacalhau", "ginjinha", "custard tarts", "piri piri chicken"],
    "biscuit_crime": ["knocked my plant off the windowsill", "ate a hair tie", "sat on my laptop during a call", "screamed at a pigeon for 20 min",
                      "stole a prawn off my plate", "fell asleep in the laundry basket", "chewed my charger", "attacked my feet at 4am"],
    "dish": ["shakshuka", "dumplings", "mushroom risotto", "ramen", "banana bread", "lasagne", "katsu curry", "focaccia", "pad thai", "mapo tofu"],
    "Dish": ["a mushroom risotto", "a lamb tagine", "a proper shepherd's pie", "a lemon drizzle cake", "a sourdough loaf", "a dal", "a Sunday roast", "a leek and potato soup"],
    "ingredient": ["garlic", "chilli oil", "miso", "feta", "gochujang", "parmesan", "spring onions", "lime"],
    "distance": ["5k", "8k", "10k", "3 miles", "half a parkrun lol"],
    "Distance": ["ten kilometres", "twelve kilometres", "sixteen kilometres", "eighteen kilometres", "a slow five miles"],
    "park": ["victoria park", "the canal path", "hackney marshes", "regents park", "the river loop"],
    "book": ["piranesi", "the secret history", "klara and the sun", "normal people", "middlemarch", "tomorrow and tomorrow and tomorrow", "the remains of the day"],
    "Book": ["Piranesi", "The Secret History", "Klara and the Sun", "Middlemarch", "The Remains of the Day", "Tomorrow, and Tomorrow, and Tomorrow", "Normal People"],
    "band": ["moth radio", "velvet static", "the paper lanterns", "lucy and the lighthouses", "sunday driver", "neon harbour"],
    "Band": ["Moth Radio", "Velvet Static", "The Paper Lanterns", "Lucy and the Lighthouses", "Sunday Driver", "Neon Harbour"],
    "venue": ["the roundhouse", "brixton", "the jazz cafe", "koko", "the o2 forum", "that tiny pub venue in dalston"],
    "Venue": ["the Roundhouse", "the Barbican", "the Jazz Cafe", "Wigmore Hall", "the Union Chapel"],
    "exam": ["statistics", "the land law module", "transport planning", "urban economics", "the research methods paper"],
    "Exam": ["statistics", "land law", "transport planning", "urban economics", "research methods"],
    "flat_thing": ["the boxes", "the deposit", "the landlord", "the van", "my new flatmate", "the ikea order", "the broadband guy"],
    "gift": ["a candle", "a plant", "concert tickets", "a cookbook", "a nice pen", "a tiny cake", "socks with cats on them"],
    "Gift": ["a fountain pen", "a first edition", "a cookery book", "a pair of running socks", "a framed print", "a bottle of port"],
    "time": ["7", "7:30", "8", "6ish", "half 7", "noon"],
    "Time": ["seven", "half past seven", "eight", "six", "noon"],
    "mood": ["dead", "so tired", "lowkey thriving", "a mess", "chaotic", "weirdly productive", "running on iced coffee"],
    "emo": ["😂", "💀", "✨", "🥲", "🙃", "👀", "😭", "🫠", "🥹"],
    "show": ["bake off", "the bear", "love island", "that murder doc", "severance"],
    "snack": ["crisps", "a whole bag of haribo", "cold pizza", "toast", "an entire baguette"],
}

# --------------------------------------------------------------------------- topic pools
# Mia lines: lowercase, no final punctuation, questions without "?".  {emo} etc are slots.
# Theo lines: full sentences, British spelling, semicolons, polite.

TOPICS: dict[str, dict[str, list[str]]] = {
    "work": {
        "mia_say": [
            "{coworker} just scheduled a meeting about the meeting",
            "ok work was actually insane today",
            "i have to finish {deliverable} by {day} and i havent started",
            "my laptop died in the middle of my presentation {emo}",
            "the client wants it more pop but also more minimal",
            "sooo my manager said good job today and i almost cried",
            "i accidentally replied all to the whole company",
            "lowkey thinking about asking for a raise",
            "{coworker} brought cake for no reason and honestly legend",
            "ngl im so done with figma rn",
            "i got the promotion!!!",
            "spent 3 hours on one button {emo}",
            "wfh today so i havent put on real trousers",
            "the office aircon is broken and its like 30 degrees",
            "i have 4 back to back calls tmrw kill me",
            "had my review today and it went fine i think",
        ],
        "mia_ask": [
            "how was work",
            "how did the presentation go",
            "did {Coworker} ever reply",
            "wait do u have to go in tmrw",
            "is ur boss still being weird",
            "how do u stay so calm at work tbh",
            "should i just quit and open a bakery",
            "did u finish {Deliverable}",
        ],
        "theo_say": [
            "Work was perfectly fine, if a little long; {Coworker} and I spent most of the afternoon arguing about spreadsheets.",
            "I have to finish {Deliverable} by {Day}, so I expect the next few evenings will be rather quiet.",
            "The presentation went better than I feared. Nobody asked the question I had been dreading, which I shall take as a small victory.",
            "We had a fire drill at half past three, which was, on reflection, the most exciting part of the day.",
            "I think you should ask for it; you have been carrying that team for months, and they know it.",
            "Honestly, I find it helps to write everything down at the end of the day; otherwise I lie awake rehearsing emails.",
            "{Coworker} has decided that every meeting must now begin with an icebreaker. I am not coping well.",
            "It has been one of those weeks in which everything is urgent and nothing is finished.",
            "I would gently suggest that replying all is a rite of passage; nobody will remember it by Friday.",
            "Congratulations! That is thoroughly deserved, and I am very proud of you.",
            "I am working from home tomorrow, thankfully, so I can at least do it in comfort.",
        ],
        "theo_ask": [
            "How did the client meeting go in the end?",
            "Have you had any luck with {deliverable}, or is it still fighting you?",
            "Is your manager any more reasonable this week, or is that too much to hope for?",
            "Would it help to talk it through? I am happy to be a sounding board.",
            "Did they at least give you a proper lunch break today?",
            "Are you still thinking about asking for that raise?",
        ],
    },
    "lisbon": {
        "mia_say": [
            "ok i booked the flights to lisbon {emo}",
            "i found the cutest airbnb in {lisbon_spot}",
            "i need to eat like 40 {pt_food}",
            "we HAVE to do {lisbon_spot}",
            "the hills are going to destroy my calves lol",
            "just bought sunscreen and a hat im so ready",
            "i made a shared playlist for the trip",
            "lowkey wanna learn some portuguese before we go",
            "obrigada is the only word i know so far",
            "i still think about those {pt_food} every day",
            "that sunset at {lisbon_spot} was unreal",
            "i got so sunburnt in {lisbon_spot} {emo}",
            "i miss lisbon already tbh",
            "our flight is at 6am which is a crime",
            "i packed 3 outfits per day is that normal",
        ],
        "mia_ask": [
            "do we need to book {lisbon_spot} in advance",
            "what time is our flight again",
            "are u bringing a big suitcase or just hand luggage",
            "should we do a day trip to {lisbon_spot}",
            "wait did u book the tram thing",
            "can we go back to lisbon next year",
            "what was ur fav part of the trip",
        ],
        "theo_say": [
            "I have started a list of places to visit; {Lisbon_spot} is at the very top, followed closely by every bakery in the city.",
            "I have been reading about {Lisbon_spot}; apparently one ought to get there early to avoid the crowds.",
            "I have printed the boarding passes, which I realise is terribly old-fashioned of me.",
            "The forecast for Lisbon is twenty-eight degrees and sunny all week, so I shall pack accordingly.",
            "I am bringing hand luggage only; I refuse to stand at a baggage carousel on holiday.",
            "I have learnt how to say 'a coffee, please' in Portuguese, which I consider the essential vocabulary.",
            "Looking back, I think the evening in {Lisbon_spot} was my favourite; the light over the river was extraordinary.",
            "I am still thinking about the custard tarts; nothing here comes close.",
            "Thank you for organising so much of the trip; it was genuinely one of the nicest weeks I have had in years.",
            "I have sorted the photographs into albums; there are rather a lot of you eating.",
        ],
        "theo_ask": [
            "Shall we book a table somewhere nice for the last evening?",
            "Would you rather spend a day in {Lisbon_spot} or keep things relaxed in the city?",
            "Do you know whether the flat has a washing machine?",
            "Have you packed yet, or is that a job for the night before?",
            "Which was your favourite meal of the trip?",
            "Shall I make a shared album for the photographs?",
        ],
    },
    "biscuit": {
        "mia_say": [
            "biscuit {biscuit_crime} {emo}",
            "update biscuit just {biscuit_crime}",
            "biscuit is staring at me like i owe her money",
            "she is so fat and so perfect",
            "biscuit has to go to the vet on {day} and she KNOWS",
            "she sleeps on my face every night i cant breathe but its fine",
            "biscuit learned how to open the cupboard we are doomed",
            "i bought her a 20 quid bed and she sits in the box",
            "shes doing the loaf thing again",
            "the vet said shes a bit chonky {emo}",
            "biscuit says hi",
            "biscuit is being so clingy today its cute",
        ],
        "mia_ask": [
            "do u want a biscuit pic",
            "can u feed biscuit while im away",
            "is it normal for cats to scream at 3am",
            "why does she only like expensive food",
            "should i get her a friend",
        ],
        "theo_say": [
            "Please give Biscuit my regards; she remains the most dignified member of your household.",
            "I am told cats do that to remind us who is really in charge.",
            "Of course I can feed her; just leave me the key and some instructions.",
            "I am not convinced she is chonky; I think she is simply well built.",
            "That is magnificent behaviour; I would expect nothing less from her.",
            "A second cat sounds lovely in theory, though I suspect Biscuit would have opinions.",
            "I hope the vet visit goes smoothly; she always seems so offended by the carrier.",
            "Every cat I have ever known has preferred the box to the bed; it is one of life's great mysteries.",
        ],
        "theo_ask": [
            "How is Biscuit? Has she forgiven you for the vet yet?",
            "Is she still sleeping in the laundry basket?",
            "What did the vet say in the end?",
            "Does she have a favourite toy at the moment?",
        ],
    },
    "cooking": {
        "mia_say": [
            "i made {dish} tonight and it was actually good",
            "i tried to make {dish} and set off the smoke alarm {emo}",
            "i put way too much {ingredient} in everything now",
            "dinner was {snack} again lol",
            "ok the {dish} recipe u sent was elite",
            "i bought a rice cooker and its changed my life",
            "my {dish} looked nothing like the picture",
            "im doing a cooking era",
            "ngl {ingredient} makes everything better",
            "burnt the garlic bread twice in one night",
        ],
        "mia_ask": [
            "what r u having for dinner",
            "can u send me that {dish} recipe",
            "how do u make rice not mushy",
            "do u want to come over for {dish} on {day}",
            "is it weird to put {ingredient} in {dish}",
        ],
        "theo_say": [
            "I made {Dish} this evening; it took far longer than the recipe claimed, but it was worth it.",
            "I am having leftovers, which is the least glamorous answer possible.",
            "The secret is to rinse the rice properly and then leave it alone; resist the urge to stir.",
            "I would love to come round for dinner; shall I bring pudding?",
            "I will send the recipe over tonight; I have made a few alterations of my own.",
            "I tried baking bread again; the loaf is edible, though I would not describe it as handsome.",
            "I have finally bought a decent knife, and I feel like an entirely new person.",
            "I do not think it is weird at all; some of the best dishes begin as a slightly odd idea.",
        ],
        "theo_ask": [
            "What did you end up cooking last night?",
            "Have you tried the recipe I sent, or is it still waiting in your inbox?",
            "Would you like to cook together on {Day}? I could do a starter.",
            "Do you have a favourite thing to cook when you are tired?",
        ],
    },
    "running": {
        "mia_say": [
            "did {distance} today and i want to die",
            "running club was so fun tonight",
            "i ran {distance} without stopping!!!",
            "my legs are not working after intervals",
            "the new pace group is so fast {emo}",
            "got a new pb at parkrun",
            "it was raining the whole time and i looked insane",
            "i only went for the post run pub tbh",
            "my knee is being weird again",
            "bought new running shoes and they make me feel fast",
        ],
        "mia_ask": [
            "r u coming to running club on {day}",
            "how is half marathon training going",
            "how do u run so far without getting bored",
            "should i sign up for the 10k",
            "what time is the run tmrw",
        ],
        "theo_say": [
            "I managed {Distance} this morning; the first half was glorious and the second half was character building.",
            "Half marathon training is going reasonably well, though my calves have filed a formal complaint.",
            "I listen to long podcasts; by the time the episode finishes I have usually forgotten how tired I am.",
            "You should absolutely sign up for the 10k; you are far faster than you give yourself credit for.",
            "I will be there on {Day}, assuming my legs have recovered from the weekend.",
            "Please do look after that knee; it is not worth running through an injury.",
            "The run starts at {Time} from the usual spot by the café.",
            "Congratulations on the personal best! All those wet Tuesday evenings are clearly paying off.",
        ],
        "theo_ask": [
            "How was running club this evening?",
            "Are you coming to the long run on Sunday?",
            "How is the knee holding up?",
            "Have you decided whether to enter the 10k?",
        ],
    },
    "books": {
        "mia_say": [
            "ok i finally finished {book}",
            "i havent even started {book} and book club is on {day} {emo}",
            "the ending of {book} ruined me",
            "i only joined book club for the wine ngl",
            "i read like 40 pages on the tube today",
            "i didnt get {book} at all tbh",
            "i cried on the bus reading {book}",
            "whose turn is it to pick next",
            "i want to pick something with dragons",
            "the audiobook counts right",
        ],
        "mia_ask": [
            "did u like {book}",
            "what should we read next",
            "is {book} worth finishing",
            "r u going to book club on {day}",
            "can i borrow ur copy",
        ],
        "theo_say": [
            "I finished {Book} last night; I think it is one of the most quietly devastating books I have read.",
            "I would suggest {Book} for next month; it is long, but it rewards patience.",
            "I thought the middle section dragged a little, but the final chapters more than made up for it.",
            "The audiobook absolutely counts; anybody who says otherwise is being a snob.",
            "Of course you can borrow it; I have annotated it rather heavily, so please forgive the pencil marks.",
            "I shall be there on {Day}; I have prepared far too many notes, as usual.",
            "I do think it is worth finishing, if only so that we can argue about the ending properly.",
            "Dragons would be a welcome change after three months of Victorian marriage plots.",
        ],
        "theo_ask": [
            "How are you getting on with {Book}?",
            "What did you make of the ending?",
            "Would you like to pick the next book? I think it is your turn.",
            "Are you coming to book club on {Day}, or shall I take notes for you?",
        ],
    },
    "exams": {
        "mia_say": [
            "good luck tmrw u will smash it",
            "how many exams left",
            "i believe in u sm",
            "stop revising and go to sleep",
            "u always say u failed and then get a first",
            "i remember exams i never want to go back",
            "ok im sending u snacks",
            "omg results day",
        ],
        "mia_ask": [
            "when is ur {exam} exam",
            "how did {exam} go",
            "do u want a study buddy i will sit there silently",
            "when do u get results",
            "are u eating properly during revision",
        ],
        "theo_say": [
            "The {Exam} paper is on {Day} morning, so I am afraid I will be a hermit until then.",
            "I think {Exam} went reasonably well; there was one question I completely misread, but the rest felt solid.",
            "I have two papers left, and then I intend to sleep for approximately a week.",
            "Thank you; that is very kind. I am trying not to panic, with mixed success.",
            "Results are released at the end of the month, which feels like an unnecessarily long wait.",
            "I have been living on toast and tea, which I recognise is not ideal.",
            "A silent study buddy sounds rather perfect, actually; the library is far too quiet on my own.",
            "I passed! All of them! I can hardly believe it.",
        ],
        "theo_ask": [
            "Would you test me on some definitions this weekend? It is tedious, I know.",
            "Do you remember how you used to cope with revision?",
            "Could I bribe you with dinner in exchange for a little moral support?",
        ],
    },
    "concerts": {
        "mia_say": [
            "{band} are playing {venue} in {month}!!!",
            "i got tickets for {band} {emo}",
            "the queue for tickets was 4000 people",
            "that gig last night was the best thing ever",
            "i lost my voice screaming lol",
            "{band} played my song i almost passed out",
            "my ears are still ringing",
            "the support act was lowkey better",
            "i spent 40 quid on merch no regrets",
        ],
        "mia_ask": [
            "do u wanna come to {band} with me",
            "what time should we meet before the gig",
            "have u ever listened to {band}",
            "was the concert good",
        ],
        "theo_say": [
            "I would love to come; I have been listening to {Band} on repeat since you mentioned them.",
            "I went to a concert at {Venue} on {Day}; it was a string quartet, so considerably calmer than your evening.",
            "Shall we meet at {Time} for a drink beforehand? There is a decent pub round the corner.",
            "I must admit I had not heard of {Band} until last week, but the album is growing on me.",
            "I hope your ears have recovered; I remember that ringing feeling from my student days.",
            "The tickets are booked; I have sent them to your email, so please do not lose them.",
        ],
        "theo_ask": [
            "How was the gig? Did they play the song you wanted?",
            "Would you like to come to {Venue} with me next month? It is classical, but I promise it is a good one.",
            "Shall I get the tickets, or would you prefer to?",
        ],
    },
    "moving": {
        "mia_say": [
            "i found a flat!!!",
            "the flat viewing was a nightmare {emo}",
            "why do i own so many mugs",
            "{flat_thing} is stressing me out",
            "im drowning in boxes",
            "biscuit hates the new flat rn",
            "the new place has a BALCONY",
            "finally unpacked the kitchen stuff",
            "the landlord still hasnt given the deposit back",
            "moving is the worst thing humans do",
            "my new flatmate seems nice i think",
        ],
        "mia_ask": [
            "can u help me move on {day}",
            "do u have any spare boxes",
            "do u know anyone with a van",
            "wanna come see the new flat",
            "how do u even clean an oven",
        ],
        "theo_say": [
            "Of course I will help you move on {Day}; I shall bring tape, snacks, and a reasonable amount of patience.",
            "I have a stack of boxes left over from my own move; you are very welcome to them.",
            "A balcony! That is wonderful; Biscuit will finally have a proper window on the world.",
            "I would chase the landlord in writing; it is worth having a record of everything.",
            "Moving is genuinely one of the most stressful things a person can do; please be kind to yourself this week.",
            "I would love to see the new flat; I could bring a plant as a housewarming present.",
            "I found that bicarbonate of soda and a great deal of optimism work best on ovens.",
        ],
        "theo_ask": [
            "How is the packing going? Is there anything I can do to help?",
            "When do you get the keys?",
            "Has Biscuit settled into the new flat yet?",
            "Have you heard back from the landlord about the deposit?",
        ],
    },
    "birthday": {
        "mia_say": [
            "its almost ur birthday {emo}",
            "i got u {gift} dont be mad",
            "thank u for the birthday msg ily",
            "i want a cake that says something unhinged",
            "25 feels so old ngl",
            "ok birthday plan is dinner then karaoke",
            "thank u for coming last night i had the best time",
            "i still have a hangover from my birthday",
        ],
        "mia_ask": [
            "what do u want for ur birthday",
            "r u free on {day} for my birthday drinks",
            "what kind of cake do u like",
            "do u want a party or something chill",
        ],
        "theo_say": [
            "You really did not need to get me anything, but thank you; it is lovely.",
            "I would prefer something quiet, if that is all right; dinner with a few friends would be perfect.",
            "I am free on {Day}; I would not miss your birthday for the world.",
            "Happy birthday, Mia! I hope this year is full of good things, good food, and a well-behaved cat.",
            "I got you {Gift}; I hope it is not too dull.",
            "Karaoke is a bold choice; I shall need to prepare emotionally.",
            "Thank you for the birthday wishes; it was a very pleasant day.",
        ],
        "theo_ask": [
            "What would you like to do for your birthday this year?",
            "Is there anything you would particularly like? I am hopeless at guessing.",
            "Shall I book somewhere for dinner?",
        ],
    },
    "weekend": {
        "mia_say": [
            "today i did nothing and it was amazing",
            "im watching {show} again dont judge",
            "i went to a market and bought a plant i will kill",
            "i ate {snack} for breakfast",
            "feeling {mood} today",
            "the weather is so nice i want to live outside",
            "i slept for 11 hours",
            "spent all day cleaning and now i deserve a medal",
            "my mum called for 2 hours lol",
            "i went to a pottery class and made a very sad bowl",
        ],
        "mia_ask": [
            "what r u up to this weekend",
            "r u free {day}",
            "wanna get brunch",
            "have u watched {show}",
            "whats the plan tmrw",
        ],
        "theo_say": [
            "I spent most of Saturday in the garden, which was far more satisfying than it sounds.",
            "I have no plans at all this weekend, and I intend to keep it that way.",
            "Brunch sounds lovely; shall we say {Time} on {Day}?",
            "I went to a museum this afternoon and spent an hour looking at maps, which was delightful.",
            "I have not watched it, I am afraid; I am told I am the last person in the country.",
            "I visited my parents; my mother sends her love and asks when you are coming for dinner.",
            "It has rained all day here, so I have been reading and drinking far too much tea.",
        ],
        "theo_ask": [
            "What are your plans for the weekend?",
            "Are you free on {Day} afternoon? I thought we might go for a walk.",
            "Have you had a restful day, or a productive one?",
            "How are you feeling today, honestly?",
        ],
    },
}

# topic weights per month (3 = March ... 8 = August); topics follow the story of the half-year
MONTH_WEIGHTS = {
    3: {"work": 3, "lisbon": 2, "biscuit": 2, "cooking": 2, "running": 2, "books": 2, "exams": 1, "concerts": 1, "moving": 0, "birthday": 0, "weekend": 2},
    4: {"work": 3, "lisbon": 3, "biscuit": 2, "cooking": 2, "running": 2, "books": 2, "exams": 2, "concerts": 1, "moving": 0, "birthday": 0, "weekend": 2},
    5: {"work": 2, "lisbon": 3, "biscuit": 2, "cooking": 1, "running": 2, "books": 2, "exams": 4, "concerts": 1, "moving": 0, "birthday": 3, "weekend": 2},
    6: {"work": 2, "lisbon": 5, "biscuit": 2, "cooking": 2, "running": 1, "books": 1, "exams": 1, "concerts": 2, "moving": 1, "birthday": 0, "weekend": 2},
    7: {"work": 2, "lisbon": 1, "biscuit": 2, "cooking": 2, "running": 2, "books": 2, "exams": 0, "concerts": 2, "moving": 5, "birthday": 0, "weekend": 2},
    8: {"work": 3, "lisbon": 1, "biscuit": 2, "cooking": 2, "running": 2, "books": 2, "exams": 1, "concerts": 2, "moving": 2, "birthday": 3, "weekend": 2},
}

MIA_OPEN = ["hiii", "omg hiii", "ok so", "bestie", "r u alive", "guess what", "hellooo", "wait i have news", "heyyy",
            "are u busy", "ok dont laugh", "good morning sunshine {emo}", "help", "u will not believe this", "yo"]
THEO_OPEN = ["Good evening, Mia. I hope your day has been a kind one.",
             "Hello! Have you got a minute? I have a question, though it is not urgent.",
             "Morning, Mia. I have just had my first coffee, so I am cautiously functional.",
             "Hello, stranger; it feels like ages since we properly caught up.",
             "I hope you are well. I had a thought on the way home and wanted to share it.",
             "Evening! How are things on your side of town?",
             "Hello, Mia. Are you free for a quick chat?"]
MIA_REACT = ["lol", "omg", "wait what", "no wayyy", "fr", "stoppp 😭", "ngl thats fair", "valid", "ok true", "hahaha",
             "😂😂", "💀💀💀", "nooo", "aww", "yesss", "ok ok", "bestie ily", "lmaooo", "thats so u", "iconic",
             "i cant", "omg same", "honestly yes", "wait thats actually smart", "u r so wholesome", "lowkey jealous",
             "sooo true", "idk about that", "tbh fair", "ur so right", "aww thats cute", "nah", "mood", "big if true",
             "oh no", "rip", "omg stop", "hehe", "love that for u", "wait rlly"]
MIA_FILL = ["anyway", "wait", "like", "ok but", "also", "and", "lol", "sorry i type fast", "brb", "hold on",
            "ok im back", "omg", "ngl", "idk", "lowkey", "istg", "not me", "literally"]
THEO_REACT = ["That is wonderful news; I am genuinely pleased for you.", "Oh dear; that does sound rather stressful.",
              "Ha! I can picture it perfectly.", "I am sorry to hear that; it sounds exhausting.", "Quite right, too.",
              "That made me laugh out loud on the train, which earned me a few looks.",
              "I must say, that is impressively chaotic, even by your standards.",
              "I do not entirely follow, but I am fully supportive.", "Fair enough; I think you are right.",
              "That is very sweet of you.", "Goodness; that is quite a day.", "Well, that is a relief."]
MIA_CLOSE_DAY = ["ok gotta go", "ttyl", "byeee", "ok i have to cook now", "talk later", "ily byee",
                 "gtg biscuit is screaming", "ok back to work {emo}", "meeting brb"]
MIA_CLOSE_NIGHT = ["night night {emo}", "ok sleep time", "talk tmrw", "gonna shower brb forever", "ok bed {emo}",
                   "ily byee", "gtg biscuit is screaming", "i need to sleep i have work in like 7 hours"]
THEO_CLOSE_DAY = ["I must dash; speak soon.", "Right, I should make some dinner. Talk later!",
                  "Take care; let me know how it goes.", "I had better get back to work; speak this evening."]
THEO_CLOSE_NIGHT = ["I ought to get some sleep; speak tomorrow.", "Goodnight, Mia. Give Biscuit a scratch behind the ears from me.",
                    "Sleep well, and do not stay up too late watching things.", "Take care; let me know how it goes."]
THEO_ASK_ANY = ["How are you, otherwise?", "How is everything else going?", "And how is Biscuit, while we are at it?",
                "Have you eaten anything sensible today?", "Is work any calmer this week?", "What are you up to tomorrow?"]

LINKS = ["https://example.com/recipes/{slug}", "https://example.com/lisbon-guide/{slug}", "https://example.com/tickets/{slug}",
         "https://example.com/flats/{slug}", "https://example.com/articles/{slug}"]
SLUGS = ["best-dumplings", "alfama-walk", "moth-radio-tour", "two-bed-hackney", "cats-and-boxes", "running-for-beginners",
         "book-club-picks", "pasteis-de-nata", "how-to-clean-an-oven", "sourdough-101", "sintra-day-trip"]
STICKER_EMOJI = ["😂", "💀", "🥲", "😭", "👀", "✨", "🙃", "❤️", "🐱", "👍"]


class Gen:
    """Builds the message list with a private Random so the output is fully reproducible."""

    def __init__(self, seed: int = SEED) -> None:
        self.rng = random.Random(seed)
        self.messages: list[dict] = []
        self.next_id = 1
        self.session_bounds: list[tuple[int, int]] = []   # (first index, last index) into messages

    # ---- text helpers -------------------------------------------------------------------
    def fill(self, template: str, month: int) -> str:
        def repl(m: re.Match) -> str:
            key = m.group(1)
            if key == "month":
                return ["june", "july", "august", "september", "october"][self.rng.randrange(5)]
            return self.rng.choice(SLOTS[key])
        return re.sub(r"\{(\w+)\}", repl, template)

    def mia_style(self, text: str) -> str:
        r = self.rng
        text = text.rstrip(".?")
        if r.random() < 0.06:  # typo: swap two adjacent letters inside one longer word
            words = text.split(" ")
            idx = [i for i, w in enumerate(words) if len(w) > 4 and w.isalpha()]
            if idx:
                i = r.choice(idx)
                w = words[i]
                j = r.randrange(1, len(w) - 2)
                words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
                text = " ".join(words)
        if r.random() < 0.05:  # stretched vowel: "sooo", "yesss"
            text = re.sub(r"\b(so|yes|no|omg)\b", lambda m: m.group(1) + m.group(1)[-1] * 2, text, count=1)
        if r.random() < 0.22 and not any(e in text for e in SLOTS["emo"]):
            text += " " + r.choice(SLOTS["emo"])
        return text

    # ---- message constructors ------------------------------------------------------------
    @staticmethod
    def stamp(t: datetime) -> tuple[str, str]:
        return t.strftime("%Y-%m-%dT%H:%M:%S"), str(int(t.replace(tzinfo=timezone.utc).timestamp()))

    def base(self, t: datetime, who: str) -> dict:
        date, unix = self.stamp(t)
        msg = {"id": self.next_id, "type": "message", "date": date, "date_unixtime": unix,
               "from": who, "from_id": MIA_ID if who == MIA else THEO_ID}
        self.next_id += 1
        return msg

    def text_msg(self, t: datetime, who: str, text: str) -> dict:
        msg = self.base(t, who)
        msg["text"] = text
        msg["text_entities"] = [{"type": "plain", "text": text}]
        return msg

    # ---- conversation -------------------------------------------------------------------
    def line(self, who: str, kind: str, topic: str, month: int) -> str:
        """One line for `who`, avoiding exact repeats within the current session where possible."""
        for _ in range(10):
            text = self._line(who, kind, topic, month)
            core = text.rstrip(" " + "".join(SLOTS["emo"]))
            if core not in self.used:
                break
        else:  # this topic's pool is used up: fall back to a generic line
            kind = "any" if (who == THEO and kind == "ask") else "react"
            for _ in range(10):
                text = self._line(who, kind, topic, month)
                core = text.rstrip(" " + "".join(SLOTS["emo"]))
                if core not in self.used:
                    break
        self.used.add(core)
        return text

    def _line(self, who: str, kind: str, topic: str, month: int) -> str:
        r = self.rng
        if who == MIA:
            if kind == "react":
                pool = MIA_REACT
            elif kind == "fill":
                pool = MIA_FILL
            else:
                pool = TOPICS[topic]["mia_" + kind]
            return self.mia_style(self.fill(r.choice(pool), month))
        if kind == "react":
            return r.choice(THEO_REACT)
        if kind == "any":
            return r.choice(THEO_ASK_ANY)
        return self.fill(r.choice(TOPICS[topic]["theo_" + kind]), month)

    def session_lines(self, month: int, late: bool) -> list[tuple[str, str]]:
        """Return [(speaker, text)] for one session, topical to one (sometimes two) topics."""
        r = self.rng
        weights = MONTH_WEIGHTS[month]
        names = [k for k, w in weights.items() if w > 0]
        topic = r.choices(names, [weights[k] for k in names])[0]
        out: list[tuple[str, str]] = []
        self.used: set[str] = set()
        who = MIA if r.random() < 0.6 else THEO
        # opener
        if who == MIA:
            out.append((MIA, self.mia_style(self.fill(r.choice(MIA_OPEN), month))))
        else:
            out.append((THEO, r.choice(THEO_OPEN)))
        n_turns = r.randint(6, 17)
        last_was_question = False
        for turn in range(n_turns):
            if turn > 0 and r.random() < 0.12:
                # the speaker adds to their own previous turn after a short pause
                pass
            else:
                who = THEO if who == MIA else MIA
            if turn == n_turns // 2 and r.random() < 0.3:  # drift to a second topic mid-session
                topic = r.choices(names, [weights[k] for k in names])[0]
            if who == MIA:
                k = r.choices([1, 2, 3, 4], [36, 34, 20, 10])[0]
                kinds: list[str] = []
                first = "react" if (last_was_question is False and turn > 0 and r.random() < 0.35) else (
                    "say" if last_was_question or r.random() < 0.55 else "ask")
                kinds.append(first)
                for _ in range(k - 1):
                    kinds.append(r.choices(["say", "ask", "react", "fill"], [40, 22, 23, 15])[0])
                if kinds[0] == "fill":
                    kinds[0] = "say"
                for kd in kinds:
                    out.append((MIA, self.line(MIA, kd, topic, month)))
                last_was_question = kinds[-1] == "ask"
            else:
                k = r.choices([1, 2, 3], [50, 38, 12])[0]
                kinds = ["say" if last_was_question else r.choice(["say", "react", "say"])]
                for _ in range(k - 1):
                    kinds.append(r.choices(["say", "ask"], [45, 55])[0])
                if k == 1 and r.random() < 0.3:
                    # one long message: statement and question in the same bubble
                    out.append((THEO, self.line(THEO, kinds[0], topic, month) + " " + self.line(THEO, "ask", topic, month)))
                    last_was_question = True
                    continue
                for kd in kinds:
                    out.append((THEO, self.line(THEO, kd, topic, month)))
                last_was_question = kinds[-1] == "ask"
        # closer
        closer = MIA if r.random() < 0.55 else THEO
        MIA_CLOSE = MIA_CLOSE_NIGHT if late else MIA_CLOSE_DAY
        THEO_CLOSE = THEO_CLOSE_NIGHT if late else THEO_CLOSE_DAY
        if closer == MIA:
            out.append((MIA, self.mia_style(self.fill(r.choice(MIA_CLOSE), month))))
            if r.random() < 0.6:
                out.append((THEO, r.choice(THEO_CLOSE)))
        else:
            out.append((THEO, r.choice(THEO_CLOSE)))
            if r.random() < 0.7:
                out.append((MIA, self.mia_style(self.fill(r.choice(MIA_CLOSE), month))))
        return out

    def gap_after(self, prev: str | None, who: str, text: str) -> int:
        """Seconds between two consecutive messages inside a session (always < 20 minutes)."""
        r = self.rng
        if prev == who:
            if who == MIA:
                return r.randint(3, 40)
            return r.randint(20, 150)
        typing = len(text) // (6 if who == THEO else 4)
        if r.random() < 0.07:
            base = r.randint(240, 840)           # got distracted for a bit
        else:
            base = r.randint(10, 150)
        return min(base + typing, 19 * 60)

    def run(self) -> None:
        r = self.rng
        t = START
        session = 0
        midnight_sessions = {7, 19, 33, 48, 61, 74}   # start these late so they cross midnight
        while True:
            month = t.month
            lines = self.session_lines(month, late=t.hour >= 20 or t.hour < 4)
            first_idx = len(self.messages)
            prev = None
            cur = t
            for who, text in lines:
                if prev is not None:
                    cur += timedelta(seconds=self.gap_after(prev, who, text))
                self.messages.append(self.text_msg(cur, who, text))
                prev = who
            self.session_bounds.append((first_idx, len(self.messages) - 1))
            end = cur
            session += 1
            # choose the start of the next session
            if session - 1 == EXACT_GAP_AFTER_SESSION:
                nxt = end + EXACT_GAP
            else:
                days = r.choices([0, 1, 2, 3, 4, 5], [8, 36, 26, 15, 9, 6])[0]
                if session in midnight_sessions:
                    hh, mm = 23, r.randint(22, 48)
                else:
                    hh = r.choices([8, 12, 13, 17, 18, 19, 20, 21, 22], [1, 2, 2, 2, 3, 4, 4, 3, 2])[0]
                    mm = r.randint(0, 59)
                nxt = (end + timedelta(days=days)).replace(hour=hh, minute=mm, second=r.randint(0, 59))
                while nxt - end < timedelta(hours=3):
                    nxt += timedelta(days=1)
            if nxt > END - timedelta(hours=2):
                break
            t = nxt

    # ---- noise --------------------------------------------------------------------------
    def add_noise(self) -> None:
        r = self.rng
        msgs = self.messages
        n = len(msgs)

        def pick(pred, k):
            cand = [i for i in range(1, n - 1) if pred(msgs[i]) and "noise" not in msgs[i]]
            chosen = r.sample(cand, k)
            for i in chosen:
                msgs[i]["noise"] = True
            return sorted(chosen)

        # stickers replace some short Mia reactions (and a couple of Theo's)
        for i in pick(lambda m: m["from"] == MIA and len(m["text"]) < 12, 14) + pick(lambda m: m["from"] == THEO, 3):
            m = msgs[i]
            em = r.choice(STICKER_EMOJI)
            keep = {k: m[k] for k in ("id", "type", "date", "date_unixtime", "from", "from_id")}
            keep.update({"file": NOT_INCLUDED, "file_size": r.randint(14000, 48000), "thumbnail": NOT_INCLUDED,
                         "thumbnail_file_size": r.randint(4000, 9000), "media_type": "sticker", "sticker_emoji": em,
                         "width": 512, "height": 512, "text": "", "text_entities": []})
            msgs[i] = keep
        # photos: some with a caption, some without
        captions_mia = ["biscuit rn", "look at this", "dinner", "view from the balcony", "lisbon i miss u", "", "", ""]
        captions_theo = ["The view from the top of the hill.", "My attempt at the recipe.", "", ""]
        for i in pick(lambda m: m["type"] == "message" and "media_type" not in m, 14):
            m = msgs[i]
            cap = r.choice(captions_mia if m["from"] == MIA else captions_theo)
            w, h = r.choice([(1280, 960), (960, 1280), (1280, 720), (1179, 1280)])
            keep = {k: m[k] for k in ("id", "type", "date", "date_unixtime", "from", "from_id")}
            keep.update({"photo": NOT_INCLUDED, "photo_file_size": r.randint(60000, 240000), "width": w, "height": h,
                         "text": cap, "text_entities": [{"type": "plain", "text": cap}] if cap else []})
            msgs[i] = keep
        # voice messages
        for i in pick(lambda m: m["type"] == "message" and "media_type" not in m and "photo" not in m, 7):
            m = msgs[i]
            dur = r.randint(4, 75)
            keep = {k: m[k] for k in ("id", "type", "date", "date_unixtime", "from", "from_id")}
            keep.update({"file": NOT_INCLUDED, "file_size": dur * r.randint(1700, 2300), "media_type": "voice_message",
                         "mime_type": "audio/ogg", "duration_seconds": dur, "text": "", "text_entities": []})
            msgs[i] = keep
        # rich text: link / bold entities inside a list-valued "text"
        plain = lambda m: m["type"] == "message" and isinstance(m.get("text"), str) and m["text"] and "photo" not in m and "media_type" not in m
        for i in pick(plain, 12):
            m = msgs[i]
            url = r.choice(LINKS).format(slug=r.choice(SLUGS))
            mode = r.random()
            if m["from"] == MIA:
                lead = r.choice(["look at this ", "omg ", "ok read this ", "this is so us ", "found it "])
                if mode < 0.6:
                    parts = [lead, {"type": "link", "text": url}]
                else:
                    parts = [lead, {"type": "link", "text": url}, " ", {"type": "bold", "text": r.choice(["TONIGHT", "free", "ASAP"])}]
            else:
                if mode < 0.5:
                    parts = ["I thought you might enjoy this: ", {"type": "link", "text": url}]
                else:
                    parts = ["Please do read this ", {"type": "bold", "text": "before Thursday"}, "; it is rather good: ",
                             {"type": "link", "text": url}]
            m["text"] = parts
            m["text_entities"] = [p if isinstance(p, dict) else {"type": "plain", "text": p} for p in parts]
        # replies to an earlier message of the other speaker in the same session
        for i in pick(lambda m: m["type"] == "message" and isinstance(m.get("text"), str) and m["text"], 10):
            m = msgs[i]
            for j in range(i - 1, max(i - 8, 0), -1):
                if msgs[j]["from"] != m["from"] and msgs[j]["type"] == "message":
                    m["reply_to_message_id"] = msgs[j]["id"]
                    break
        # edits: a fixed typo or an appended word, a few minutes later
        for i in pick(lambda m: m["type"] == "message" and isinstance(m.get("text"), str) and m["text"], 10):
            m = msgs[i]
            t = datetime.strptime(m["date"], "%Y-%m-%dT%H:%M:%S") + timedelta(seconds=r.randint(5, 300))
            m["edited"], m["edited_unixtime"] = self.stamp(t)
        for m in msgs:
            m.pop("noise", None)

    def add_calls(self) -> None:
        """Phone-call service messages, placed just before some sessions (between sessions)."""
        r = self.rng
        options = [s for s in range(5, len(self.session_bounds) - 1) if s != EXACT_GAP_AFTER_SESSION + 1]
        picks = sorted(r.sample(options, 4))
        inserts = []
        for k, s in enumerate(picks):
            first = self.messages[self.session_bounds[s][0]]
            t = datetime.strptime(first["date"], "%Y-%m-%dT%H:%M:%S") - timedelta(seconds=r.randint(60, 600))
            actor = r.choice([MIA, THEO])
            date, unix = self.stamp(t)
            svc = {"id": 0, "type": "service", "date": date, "date_unixtime": unix, "actor": actor,
                   "actor_id": MIA_ID if actor == MIA else THEO_ID, "action": "phone_call"}
            if k == 1:
                svc["discard_reason"] = "missed"
            else:
                svc["duration_seconds"] = r.randint(40, 1500)
                svc["discard_reason"] = "hangup"
            svc["text"] = ""
            svc["text_entities"] = []
            inserts.append((self.session_bounds[s][0], svc))
        for pos, svc in reversed(inserts):
            self.messages.insert(pos, svc)

    def finalise(self) -> None:
        # renumber ids in order; remap reply targets
        remap = {}
        for new_id, m in enumerate(self.messages, start=1):
            if m["id"]:
                remap[m["id"]] = new_id
            m["id"] = new_id
        for m in self.messages:
            if "reply_to_message_id" in m:
                m["reply_to_message_id"] = remap[m["reply_to_message_id"]]
        # Telegram's key order: edited* after date_unixtime, reply after from_id
        order = ["id", "type", "date", "date_unixtime", "edited", "edited_unixtime", "from", "from_id", "actor",
                 "actor_id", "action", "reply_to_message_id"]
        out = []
        for m in self.messages:
            d = {k: m[k] for k in order if k in m}
            d.update({k: v for k, v in m.items() if k not in d})
            out.append(d)
        self.messages = out


def statistics(export: dict) -> dict:
    msgs = export["messages"]
    per = Counter(m.get("from") for m in msgs if m["type"] == "message")
    times = [int(m["date_unixtime"]) for m in msgs]
    gaps = [b - a for a, b in zip(times, times[1:])]
    sessions = 1 + sum(g > 3600 for g in gaps)          # any threshold between 20 min and 3 h gives the same
    sessions_20m = 1 + sum(g > 1200 for g in gaps)
    midnight = 0
    start = 0
    for i, g in enumerate(gaps + [10**9]):
        if g > 3600:
            if msgs[start]["date"][:10] != msgs[i]["date"][:10]:
                midnight += 1
            start = i + 1
    texts = [m["text"] for m in msgs if m["type"] == "message" and isinstance(m["text"], str) and m["text"]]
    return {
        "messages_total": len(msgs),
        "messages_per_speaker": dict(per),
        "mia_share": round(per[MIA] / (per[MIA] + per[THEO]), 3),
        "service_messages": sum(m["type"] == "service" for m in msgs),
        "stickers": sum(m.get("media_type") == "sticker" for m in msgs),
        "photos": sum("photo" in m for m in msgs),
        "voice_messages": sum(m.get("media_type") == "voice_message" for m in msgs),
        "rich_text_messages": sum(isinstance(m.get("text"), list) for m in msgs),
        "replies": sum("reply_to_message_id" in m for m in msgs),
        "edited": sum("edited" in m for m in msgs),
        "sessions": sessions,
        "sessions_at_20min_threshold": sessions_20m,
        "sessions_crossing_midnight": midnight,
        "max_gap_inside_session_s": max(g for g in gaps if g <= 3600),
        "min_gap_between_sessions_s": min(g for g in gaps if g > 3600),
        "gaps_of_exactly_2d_1min": sum(g == 2 * 86400 + 60 for g in gaps),
        "distinct_texts": len(set(texts)),
        "distinct_texts_mia": len({m["text"] for m in msgs if m.get("from") == MIA and isinstance(m.get("text"), str) and m["text"]}),
        "date_range": [msgs[0]["date"], msgs[-1]["date"]],
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=Path(__file__).resolve().parent / "sample_chat" / "result.json")
    args = ap.parse_args()

    g = Gen()
    g.run()
    g.add_noise()
    g.add_calls()
    g.finalise()
    export = {"name": THEO, "type": "personal_chat", "id": CHAT_ID, "messages": g.messages}

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(export, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    # self-check by reading the file back
    data = json.loads(args.out.read_text(encoding="utf-8"))
    msgs = data["messages"]
    assert [m["id"] for m in msgs] == list(range(1, len(msgs) + 1))
    assert all(int(a["date_unixtime"]) <= int(b["date_unixtime"]) for a, b in zip(msgs, msgs[1:]))
    stats = statistics(data)
    assert stats["max_gap_inside_session_s"] < 20 * 60
    assert stats["gaps_of_exactly_2d_1min"] >= 1
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    for k, v in stats.items():
        print(f"  {k}: {v}")


if __name__ == "__main__":
    main()
