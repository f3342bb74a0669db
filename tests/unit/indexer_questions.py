"""The labelled set: phrasings the indexer should answer (with the answer the replica web
gives) and near misses it must decline. (question, startUrl or None, answer or None)."""
HN = "https://news.ycombinator.com/"
ASK = "https://news.ycombinator.com/item?id=41000004"
JOB = "https://news.ycombinator.com/item?id=41000010"
QUILL = "https://en.wikipedia.org/wiki/Quill_(programming_language)"
PORT = "https://en.wikipedia.org/wiki/Port_Ellery"
BRANDVOLD = "https://en.wikipedia.org/wiki/Ilse_Brandvold"
KETTLE = "https://www.amazon.com/dp/B0D7K3LQ9X"
TENT = "https://www.amazon.com/dp/B0C9XW2M4R"
EARBUDS = "https://www.amazon.com/dp/B0F1TQ8ZJH"
LISBON = "https://www.airbnb.com/s/Lisbon/homes"
KYOTO = "https://www.airbnb.com/s/Kyoto/homes"

TOP = "Show HN: A tiny B-tree in 300 lines of Rust"
LISBON_CHEAPEST = "Private room in a plant-filled flat (Room in Arroios), $44 per night"
KYOTO_CHEAPEST = "Capsule-style room with shared lounge (Room in Shimogyo), $33 per night"
KYOTO_BEST = "Tea-room house near Kinkaku-ji (Home in Kita), rated 4.97, $176 per night"
LISBON_BEST = "Designer loft with a private garden terrace (Loft in Príncipe Real), rated 4.97, $176 per night"
LISBON_FIRST = "Sunlit loft with river view near the castle (Apartment in Alfama), $94 per night"

ANSWERABLE = [
    # Hacker News
    ("What is the top story on Hacker News?", None, TOP),
    ("top story on HN", None, TOP),
    ("What's #1 on Hacker News right now?", None, TOP),
    ("first post on news.ycombinator.com", None, TOP),
    ("What is the title of the top story?", HN, TOP),
    ("What's the top story?", HN, TOP),
    ("Which story is number one on Hacker News?", None, TOP),
    ("Tell me the current top story on HN", None, TOP),
    ("What is the headline of the first story on the Hacker News front page?", None, TOP),
    ("What's the #1 post on HN today?", None, TOP),
    ("Give me the title of the top-ranked story on Hacker News", None, TOP),
    ("What is at the top of Hacker News?", None, TOP),
    ("what is the first story", HN, TOP),
    ("Top story?", "https://news.ycombinator.com/news", TOP),
    ("What is the leading story on hacker news right now", None, TOP),
    ("What is currently the top post on Hacker News?", None, TOP),
    ("HN top story", None, TOP),
    ("What is the number 1 story on HN?", None, TOP),
    ("How many points does the top story on HN have?", None, "412 points"),
    ("What is the score of the top story on Hacker News?", None, "412 points"),
    ("How many upvotes does the #1 post on HN have?", None, "412 points"),
    ("points of the first story", HN, "412 points"),
    ("Who posted the top story on Hacker News?", None, "ferris"),
    ("Who submitted the first story on HN?", None, "ferris"),
    ("Who is the author of the top post?", HN, "ferris"),
    ("The top story on HN was posted by whom?", None, "ferris"),
    ("How many comments does the top story on Hacker News have?", None, "42 comments"),
    ("What is the comment count of the top post on HN?", None, "42 comments"),
    ("number of comments on the first story", HN, "42 comments"),
    ("How many points does this story have?", ASK, "164 points"),
    ("Who posted this?", ASK, "quietcompiler"),
    ("What is the title of this post?", ASK, "Ask HN: What are you working on this week?"),
    ("How many comments are there on this story?", ASK, "45 comments"),
    ("What is the title?", "https://news.ycombinator.com/item?id=41000001", TOP),
    ("What is the biggest story on Hacker News today?", None, None),  # not recognized
    ("Which article is trending most on HN?", None, None),            # not recognized
    # Wikipedia
    ("Who designed Quill according to Wikipedia?", None, "Maren Brandvold, Tomasz Wielgus"),
    ("Who designed the Quill programming language, per Wikipedia?", None, "Maren Brandvold, Tomasz Wielgus"),
    ("What is the license of Quill (programming language) on Wikipedia?", None, "Apache License 2.0"),
    ("Who is the developer of Quill?", QUILL, "The Quill Foundation"),
    ("What is the stable release of Quill according to Wikipedia?", None, "3.2.1 / 14 August 2026"),
    ("What is the typing discipline of Quill?", QUILL, "Static, strong, inferred"),
    ("What is the nickname of Port Ellery?", PORT, "The Lantern City"),
    ("What is the nickname of Port Ellery according to Wikipedia?", None, "The Lantern City"),
    ("Who is the mayor?", PORT, "Dana Whitcombe"),
    ("Who is the mayor of Port Ellery, according to Wikipedia?", None, "Dana Whitcombe"),
    ("What is the motto of Port Ellery on wikipedia", None, 'Lux in portu (Latin: "Light in the harbour")'),
    ("In which province is Port Ellery according to Wikipedia?", None, "Nova Scotia"),
    ("What is the demonym for Port Ellery per Wikipedia?", None, "Ellerian"),
    ("Who was Ilse Brandvold's doctoral advisor according to Wikipedia?", None, "Edmund Hale"),
    ("Who was the spouse of Ilse Brandvold?", BRANDVOLD, "Harold Pryce (m. 1950)"),
    ("What was Ilse Brandvold's citizenship according to Wikipedia?", None, "Norway, United Kingdom (from 1952)"),
    ("When was Port Ellery founded according to Wikipedia?", None, "1762"),
    ("How many people live in Port Ellery according to Wikipedia?", None, None),  # population: not recognized
    ("Who created Quill, according to Wikipedia?", None, None),                   # "created": not recognized
    # Amazon
    ("What is the price of the Larkfield kettle on Amazon?", None, "$34.99"),
    ("How much does the Northpeak tent cost on Amazon?", None, "$129.00"),
    ("How much is this?", KETTLE, "$34.99"),
    ("What is the price?", EARBUDS, "$59.99"),
    ("What is the rating of this product?", EARBUDS, "4.4 out of 5 stars"),
    ("What is the average rating of the Larkfield electric kettle on Amazon?", None, "4.5 out of 5 stars"),
    ("How many ratings does the Corvina earbuds listing have on Amazon?", None, "7,905 ratings"),
    ("How many reviews does this item have?", TENT, "2,317 ratings"),
    ("Is it in stock?", TENT, "Only 3 left in stock - order soon."),
    ("Is the Larkfield kettle in stock on Amazon?", None, "In Stock"),
    ("What is the full title of this product?", KETTLE,
     "Larkfield Electric Kettle, 1.7L Stainless Steel Cordless Tea Kettle with Auto Shut-Off and Boil-Dry Protection, BPA-Free, Brushed Silver"),
    ("Northpeak tent price on amazon.com", None, "$129.00"),
    ("What do the Corvina earbuds sell for on Amazon?", None, "$59.99"),
    # Airbnb
    ("What is the cheapest listing in Lisbon on Airbnb?", None, LISBON_CHEAPEST),
    ("cheapest place to stay in Kyoto on Airbnb", None, KYOTO_CHEAPEST),
    ("What is the least expensive listing?", LISBON, LISBON_CHEAPEST),
    ("Which is the highest rated place to stay in Kyoto on Airbnb?", None, KYOTO_BEST),
    ("What is the top-rated listing in Lisbon on Airbnb?", None, LISBON_BEST),
    ("What is the first listing?", LISBON, LISBON_FIRST),
    ("What is the first result for Lisbon on Airbnb?", None, LISBON_FIRST),
    ("How many places are there in Kyoto on Airbnb?", None, "12 places in Kyoto"),
    ("How many listings does the search show?", KYOTO, "12 places in Kyoto"),
    ("cheapest listing", "https://www.airbnb.com/s/Lisbon--Portugal/homes", LISBON_CHEAPEST),
    ("Where should I stay in Lisbon on Airbnb on a budget?", None, None),  # not recognized
]

NEAR_MISSES = [
    # Hacker News: other ranks, other things, other sites, other times
    ("What is the second story on Hacker News?", None),
    ("What is the 2nd post on HN?", None),
    ("What is the top comment on HN?", None),
    ("What is the top comment on the top story on Hacker News?", None),
    ("What is the top story on Reddit?", None),
    ("What is the top story on Reddit?", HN),
    ("Summarize the top story's comments on Hacker News", None),
    ("What was the top story on Hacker News yesterday?", None),
    ("What is the top story of all time on HN?", None),
    ("What are the top stories on Hacker News?", None),
    ("What are the top 3 stories on HN?", None),
    ("What is the newest story on Hacker News?", None),
    ("What is the top story on the HN Show page?", None),
    ("What is the top Ask HN post?", None),
    ("What is the top job on Hacker News?", None),
    ("What is the top story?", None),
    ("What is the title of the top story?", "https://news.ycombinator.com/newest"),
    ("What is the title of the top story?", "https://news.ycombinator.com/item?id=41000002"),
    ("What is the title of the story?", "https://news.ycombinator.com/newest"),
    ("How many points does the top story have?", ASK),
    ("What is the top comment on this story?", ASK),
    ("Who wrote the first comment on this post?", ASK),
    ("How many points does this job post have?", JOB),
    ("Who posted this?", JOB),
    ("What is the title of this story?", "https://news.ycombinator.com/item?id=abc"),
    ("Who is the top user on Hacker News?", None),
    ("Who is #1 on Hacker News?", None),
    ("Who is number one on HN right now?", None),
    ("Who is the top poster on HN?", None),
    ("Who commented first on the top story on HN?", None),
    ("Who is the top contributor on Hacker News?", None),
    ("What does the top story on HN link to?", None),
    ("What is the URL of the top story on Hacker News?", None),
    ("What is the last story on Hacker News?", None),
    ("What is the top story on Hacker News about?", None),
    ("Is the top story on Hacker News about Rust?", None),
    ("How many stories are on the Hacker News front page?", None),
    ("What was the first story posted on Hacker News today?", None),
    ("What is not the top story on HN?", None),
    ("Open the top story on Hacker News and summarize it", None),
    ("What is the top story on Hacker News and Wikipedia?", None),
    ("Post a comment on the top story on HN", None),
    ("Upvote the top story on Hacker News", None),
    # Wikipedia
    ("Who designed Quill?", None),
    ("What is the population of Port Ellery according to Wikipedia?", None),
    ("What type of city is Port Ellery according to Wikipedia?", None),
    ("Summarize the Wikipedia article on Quill", None),
    ("What is the license of Python according to Wikipedia?", None),
    ("Who designed Quill according to Wikipedia?", PORT),
    ("Who designed Quill and Kestrel according to Wikipedia?", None),
    ("Edit the Wikipedia article on Port Ellery", None),
    ("What is the nickname of Port Ellery in French according to Wikipedia?", None),
    ("What was the nickname of Port Ellery in 1900 according to Wikipedia?", None),
    ("Who is the mayor of Port Ellery according to the city website?", None),
    ("What is on the Wikipedia main page?", "https://en.wikipedia.org/wiki/Main_Page"),
    ("What is the license and developer of Quill according to Wikipedia?", None),
    # Amazon
    ("What is the price of a kettle on Amazon?", None),
    ("What is the cheapest kettle on Amazon?", None),
    ("What is the price of the Larkfield kettle?", None),
    ("What is the price of the Larkfield kettle on Amazon including shipping?", None),
    ("What is the price of the Larkfield kettle on eBay?", None),
    ("Buy the Larkfield kettle on Amazon", None),
    ("Add this to my cart", KETTLE),
    ("What is the price of the Larkfield toaster on Amazon?", None),
    ("What was the price of this item last week?", KETTLE),
    ("What is the price and rating of this product?", KETTLE),
    ("What do reviewers say about this product?", KETTLE),
    ("What is the list price of this product?", KETTLE),
    ("What is the price?", "https://www.amazon.com/s?k=kettle"),
    ("What are the top reviews of the Northpeak tent on Amazon?", None),
    # Airbnb
    ("What is the cheapest apartment in Lisbon on Airbnb?", None),
    ("What is the cheapest listing in Lisbon on Airbnb for 2 guests?", None),
    ("What is the cheapest listing in Lisbon on Airbnb in December?", None),
    ("What is the cheapest listing in Porto on Airbnb?", None),
    ("What is the cheapest listing in Lisbon?", None),
    ("What is the cheapest listing in Lisbon on Booking.com?", None),
    ("What is the most expensive listing in Lisbon on Airbnb?", None),
    ("What is the second cheapest listing in Kyoto on Airbnb?", None),
    ("What is the cheapest listing in Lisbon and Kyoto on Airbnb?", None),
    ("Book the cheapest listing in Lisbon on Airbnb", None),
    ("What is the cheapest listing with a pool in Lisbon on Airbnb?", None),
    ("What is the lowest rated listing in Kyoto on Airbnb?", None),
    ("How many guests can the first listing host?", LISBON),
    ("What is the cheapest listing?", "https://www.airbnb.com/rooms/51873004"),
    # nowhere
    ("What is the weather in Lisbon?", None),
    ("What's #1 right now?", None),
    ("", None),
]
