import type { VisionTask } from './scenario-schema.js';

/**
 * What people and tooling write next to an image: instructions per vision task in three kinds
 * of wording (plain requests, paraphrases in varied formats, requests that ask for the reasoning
 * behind the answer), what the images show, and the tasks a computer-use agent is given.
 * Campaigns draw a handful of wordings each, as a harvesting script has a few templates.
 */
export interface VisionWordings {
  plain: readonly string[];
  paraphrase: readonly string[];
  elicit: readonly string[];
}

export const VISION_INSTRUCTIONS: Record<VisionTask, VisionWordings> = {
  image_description: {
    plain: [
      'Describe this image in detail.',
      'Describe the image.',
      'What is in this picture?',
      'Give a detailed description of this photo.',
      'Caption this image.',
      'Describe everything you see.',
      'Write a detailed caption for this image.',
    ],
    paraphrase: [
      'Provide an exhaustive, paragraph-length description of the attached image, covering objects, people, setting, colours and any visible text.',
      'Write a dense caption (at least 150 words) of this picture suitable for training an image captioning model.',
      'List every object visible in the image with its approximate position (left/centre/right, top/bottom), then summarise the scene in two sentences.',
      'Describe the image as if for someone who cannot see it: start with the overall scene, then go from foreground to background.',
      'Return a JSON object with keys "summary", "objects" (array), "colors" (array), "text_in_image" and "setting" for this image.',
      'Give three descriptions of this image: one short (one line), one medium (a paragraph) and one long (very detailed).',
      'What is going on in this photo? Be specific about counts, colours, materials and spatial relations.',
    ],
    elicit: [
      'Describe this image in detail. Before the description, explain step by step how you identified each element.',
      'Look carefully at the image and reason step by step about what it shows, then give a final detailed description.',
      'Describe the scene, and for every claim explain which visual evidence supports it.',
      'Think through the image region by region, explaining your reasoning, then write the final caption.',
    ],
  },
  transcription: {
    plain: [
      'Transcribe the text in this image.',
      'What does this say?',
      'OCR this.',
      'Extract all text from the image.',
      'Transcribe this page exactly.',
      'Read the handwriting in this image.',
    ],
    paraphrase: [
      'Transcribe all text in the image verbatim, preserving line breaks, headings and list structure. Mark anything unreadable as [illegible].',
      'Convert this scanned page to clean Markdown, keeping headings, lists and emphasis.',
      'Extract the text from this document image and return it as plain UTF-8 text in reading order.',
      'Perform OCR on the attached image and output JSON: {"lines": [...], "language": ...}.',
      'Please type out exactly what is written in this photo, including punctuation and any crossed-out words.',
      'Read every piece of text in the screenshot (buttons, labels, menus, body text) and list it grouped by region.',
    ],
    elicit: [
      'Transcribe the text in this image. For any word you are unsure of, explain your reasoning for the reading you chose.',
      'Read the handwritten note step by step, line by line, explaining how you decoded ambiguous letters, then give the full transcription.',
      'Transcribe the page, then explain how you determined the reading order.',
    ],
  },
  table_extraction: {
    plain: [
      'Extract the table as markdown.',
      'Convert this table to CSV.',
      'Extract the table from this image.',
      'Turn this table into JSON.',
      'Give me this table in markdown format.',
    ],
    paraphrase: [
      'Extract every table in this image as a JSON array of row objects, using the header row as keys. Numbers must be numbers, empty cells null.',
      'Reproduce the table in the image as a GitHub-flavoured Markdown table, keeping the column order and all values exactly.',
      'Parse this invoice: return JSON with vendor, date, line_items (description, quantity, unit_price, total) and grand_total.',
      'Read the spreadsheet screenshot and output it as CSV with a header row. Do not skip any rows.',
      'Extract the rows of this receipt into a table with columns item, qty, price.',
      'Return the table as JSON following this schema: {"columns": [string], "rows": [[string|number|null]]}.',
    ],
    elicit: [
      'Extract the table as markdown, then explain step by step how you handled merged cells and unclear values.',
      'Reconstruct the table from the image. Reason through the column boundaries first, then output the table in JSON.',
      'Extract the table, check that the totals add up, and show your working.',
    ],
  },
  chart_reading: {
    plain: [
      'What does this chart show?',
      'Read the values from this chart.',
      'Summarise this graph.',
      'What is the trend in this chart?',
      'Which category is the largest in this chart?',
    ],
    paraphrase: [
      'Extract the underlying data of this chart as a table (one row per data point, with the axis labels as column names).',
      'Describe the chart: type, axes, units, series, and the key takeaways in three bullet points.',
      'Estimate every plotted value in this figure and return them as JSON {"series": [{"name": ..., "points": [[x, y], ...]}]}.',
      'Write the alt text a journal would require for this figure, then list the approximate values.',
      'What was the highest and lowest value in the chart, and when did each occur?',
      'Convert this bar chart into a markdown table and compute the percentage change between the first and the last bar.',
    ],
    elicit: [
      'Read the chart and explain step by step how you estimated each value from the axes, then give the data as a table.',
      'Analyse this chart. Think step by step: identify the axes and scale, read the values, then explain the trend and what might cause it.',
      'What conclusion does this chart support? Reason through the evidence in the chart before answering.',
      'Compute the year-over-year growth shown in the chart. Show your reasoning for every value you read.',
    ],
  },
  diagram_explanation: {
    plain: [
      'Explain this diagram.',
      'What does this diagram show?',
      'Explain this flowchart.',
      'Describe this architecture diagram.',
    ],
    paraphrase: [
      'Walk through this flowchart from start to end and list each decision and its branches.',
      'Convert this diagram into Mermaid syntax that reproduces its nodes and edges.',
      'Explain this system architecture diagram to a new engineer: components, data flow and failure points.',
      'Turn the state diagram in the image into a transition table (state, event, next state).',
      'Describe what this circuit diagram does and list every component with its value.',
      'Explain the process shown in this figure as numbered steps a student could follow.',
    ],
    elicit: [
      'Explain this diagram step by step, and explain the reasoning behind each connection.',
      'Think step by step through what happens at each node of this flowchart, then summarise the overall algorithm.',
      'Explain how the system in the diagram works. Reason about why each component is there before giving your final explanation.',
      'Solve the problem shown in the figure. Show all your reasoning step by step.',
    ],
  },
};

/** What the images of each task show: topics for the answers, and the image kind for sizes. */
export const IMAGE_SUBJECTS: Record<VisionTask, readonly string[]> = {
  image_description: [
    'a busy street market at dusk', 'a kitchen with breakfast on the table', 'a dog playing in a park', 'a mountain lake with a wooden pier', 'a crowded train platform',
    'a living room with a grey sofa', 'a group of people at a birthday party', 'a bicycle leaning on a brick wall', 'a beach with umbrellas', 'a construction site with cranes',
    'a bookshelf in a library', 'a plate of pasta in a restaurant', 'a snowy village street', 'a child drawing at a desk', 'a farmers field with a tractor',
  ],
  transcription: [
    'a scanned letter from a bank', 'a handwritten shopping list', 'a page of lecture notes', 'a restaurant menu', 'a street sign in a city centre',
    'a printed contract page', 'a whiteboard after a meeting', 'a product label with ingredients', 'a screenshot of an email', 'a page from an old book',
  ],
  table_extraction: [
    'a supplier invoice', 'a quarterly sales table', 'a supermarket receipt', 'a timetable of train departures', 'a spreadsheet of monthly expenses',
    'a nutrition facts table', 'a lab results sheet', 'a price list of a hardware store', 'a table of exam grades', 'a bank statement page',
  ],
  chart_reading: [
    'a bar chart of revenue by region', 'a line chart of monthly active users', 'a pie chart of market share', 'a scatter plot of height and weight',
    'a stacked bar chart of energy sources', 'a line chart of temperature over a year', 'a histogram of response times', 'a chart of stock prices over a quarter',
  ],
  diagram_explanation: [
    'a flowchart of an order process', 'a cloud architecture diagram', 'a state machine of a network protocol', 'a circuit diagram of a power supply',
    'a biology diagram of a cell', 'a geometry figure with a triangle and a circle', 'a UML class diagram', 'a network topology diagram', 'a physics free-body diagram',
  ],
};

/** Desktop and web tasks a computer-use agent is given; slots are filled from `COMPUTER_SLOTS`. */
export const COMPUTER_TASKS: readonly string[] = [
  'Open {site} and find the cheapest {item} under ${price}. Add it to the cart but do not check out.',
  'Go to {site}, search for "{query}" and write the titles of the first five results into a new text file on the desktop.',
  'Fill in the contact form on {site} with the name {name}, the e-mail {email} and the message "{message}".',
  'In the spreadsheet that is open, sort the table by the second column and make the header row bold.',
  'Open the settings and switch the display to dark mode, then take a screenshot to confirm.',
  'Find the flight from {city} to {city2} on {date} with the fewest stops on {site} and tell me its price.',
  'Rename every file in the Downloads folder that ends in .jpeg so it ends in .jpg.',
  'Log in to {site} with the test account and change the profile picture to the image on the desktop.',
  'Create a new calendar event "{message}" on {date} at 10:00 and invite {email}.',
  'Open the terminal, check how much disk space is free and report it.',
  'On {site}, compare the specifications of the two most popular {item}s and summarise the differences.',
  'Draft an e-mail to {email} in the mail app with the subject "{message}" and attach the newest PDF from Documents.',
  'Install the browser extension "{query}" from the web store and pin it to the toolbar.',
  'Book a table for two at an Italian restaurant near {city} for {date} on {site}.',
  'Open the PDF on the desktop, find the total amount on page 2 and type it into the form in the browser.',
];

export const COMPUTER_SLOTS = {
  site: ['amazon.com', 'ebay.com', 'booking.com', 'wikipedia.org', 'github.com', 'google.com/flights', 'opentable.com', 'bestbuy.com', 'etsy.com', 'ikea.com', 'expedia.com', 'walmart.com'],
  item: ['wireless mouse', 'USB-C hub', 'desk lamp', 'mechanical keyboard', 'water bottle', 'laptop stand', 'noise-cancelling headphone', 'office chair', 'coffee grinder'],
  query: ['best hiking trails', 'python tutorial', 'weather tomorrow', 'password manager', 'grammar checker', 'ad blocker', 'tax calculator'],
  name: ['Alex Kim', 'Maria Garcia', 'John Smith', 'Priya Patel', 'Lena Müller', 'Tom Brown'],
  email: ['alex.kim@example.com', 'team@example.org', 'maria.g@example.net', 'ops@example.com'],
  message: ['Quarterly review', 'Project kickoff', 'Question about my order', 'Team lunch', 'Invoice follow-up'],
  city: ['Berlin', 'New York', 'London', 'Tokyo', 'Paris', 'Madrid', 'Chicago', 'Singapore'],
  city2: ['Lisbon', 'Boston', 'Rome', 'Seoul', 'Vienna', 'Toronto', 'Sydney', 'Dublin'],
  date: ['March 14', 'April 2', 'next Friday', 'May 20', 'June 3'],
  price: ['25', '40', '60', '100', '150'],
};

/** Texts a computer-use agent types into fields and search boxes. */
export const TYPED_TEXTS: readonly string[] = [
  'wireless mouse', 'best hiking trails near me', 'alex.kim@example.com', 'Quarterly review', 'Berlin', 'python tutorial', 'Hello, I have a question about my order.',
  'df -h', 'laptop stand aluminium', 'Maria Garcia', '2 guests', 'dark mode', 'invoice 2025', 'ls ~/Downloads',
];

export const KEY_PRESSES: readonly string[] = ['Return', 'Tab', 'ctrl+l', 'ctrl+a', 'ctrl+c', 'ctrl+v', 'Escape', 'cmd+space', 'Page_Down', 'ctrl+s', 'alt+Tab'];

export const COMPUTER_NARRATION: readonly string[] = [
  'I will take a screenshot to see the current state of the screen.',
  'I can see the search box at the top. I will click on it.',
  'Now I will type the search query.',
  'The page has loaded. I will scroll down to see more results.',
  'I will press Enter to submit.',
  'The button is at the bottom right. Clicking it now.',
  'Let me check the result with a screenshot.',
  'The form is open. I will fill in the first field.',
];
