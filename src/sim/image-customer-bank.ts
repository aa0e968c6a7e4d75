/**
 * What the image-sending customers write: their product system prompts, the fixed extraction
 * templates of document pipelines, what people ask about their photos, and the screens
 * automation workers run.
 */
export const ACCESSIBILITY_SYSTEMS: readonly string[] = [
  'You are {brand}, an assistant for blind and low-vision people. Describe the photo briefly and clearly: the most important thing first, then any text. Keep it under three sentences unless asked for more.',
  'You describe images for people who cannot see them. Be concise, concrete and kind. Read out any visible text. Mention hazards first.',
  'You are the visual assistant in the {brand} app. Users are blind or have low vision. Answer in short, plain sentences. If the photo is blurry, say so and suggest how to retake it.',
];

export const ACCESSIBILITY_QUESTIONS: readonly string[] = [
  'What is in front of me?', 'Describe this photo.', 'What does this label say?', 'What colour is this shirt?', 'Is this the right bus?', 'Read this letter to me.',
  'What is on this plate?', 'Which button is the start button?', 'Is the milk expired?', 'Describe this picture my daughter sent me.', 'What does the screen say?',
  'How much is this bill?', 'Is there anyone in the room?', 'What medicine is this?', '',
];

export const ACCESSIBILITY_FOLLOW_UPS: readonly string[] = [
  'Can you read the small print?', 'What colour is it exactly?', 'Is there a date on it?', 'Tell me more about the background.', 'Is it upside down?', 'What else is on the table?',
];

export const DOCUMENT_TEMPLATES: readonly string[] = [
  'Extract the following fields from the attached document and return them as JSON: invoice_number, vendor, date, due_date, currency, subtotal, tax, total, line_items (description, quantity, unit_price). Use null for missing fields. Return only JSON.',
  'You are a document extraction engine. From the scanned page(s), return a JSON object with keys "document_type", "fields" and "tables" (each table as rows of cells). Do not add commentary.',
  'OCR the attached pages and extract every table as JSON ({"tables": [{"header": [...], "rows": [[...]]}]}) and the key-value pairs as {"fields": {...}}. Output valid JSON only.',
  'Read the purchase order and output JSON matching this schema: {"po_number": string, "buyer": string, "date": string, "items": [{"sku": string, "qty": number, "price": number}], "total": number}.',
];

/** Virtual displays browser workers run at. */
export const SCREEN_DISPLAYS: ReadonlyArray<readonly [number, number]> = [[1280, 800], [1024, 768], [1280, 720], [1440, 900]];

export const BROWSER_AGENT_SYSTEMS: readonly string[] = [
  'You are {brand}, a browser agent that completes web tasks for our customers. Use the tools to operate the browser. Never submit payments or passwords unless the task provides them. Stop and report when the task is done.',
  'You control a headless Chromium browser on behalf of a {brand} customer. Take one action at a time and check the screenshot after each action. If a CAPTCHA appears, stop and ask for help.',
  'You are an automation assistant by {brand}. Follow the customer\'s workflow exactly. Prefer keyboard shortcuts. Report the final result in one short paragraph.',
];
