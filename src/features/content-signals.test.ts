import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CAPABILITIES, CONTENT_FLAG, PROMPT_LANGUAGES, contentFlagNames, createContentSignalDetector, partFlags, screenActionsOf, type RequestShape } from './content-signals.js';
import { createTextScanner } from './text-scanner.js';

const detector = createContentSignalDetector();
const plain: RequestShape = { imageCount: 0, toolCount: 0, toolActivity: 0, toolTypes: [], screenActions: 0 };
const promptScanner = createTextScanner({ headChars: 640, tailChars: 240, maxTokens: 512, maxWords: 8192 });
const systemScanner = createTextScanner({ headChars: 320, tailChars: 120, maxTokens: 256, maxWords: 8192 });

function signals(prompt: string, { system = '', shape = plain }: { system?: string; shape?: RequestShape } = {}) {
  let flags = 0;
  if (system) flags |= partFlags('system', detector.part(systemScanner.scan(system, 6000)));
  const scan = promptScanner.scan(prompt, 6000);
  flags |= partFlags('prompt', detector.part(scan));
  const { capability, language } = detector.prompt(scan, shape);
  return { flags: contentFlagNames(flags), capability: CAPABILITIES[capability], language: PROMPT_LANGUAGES[language] };
}

describe('content signals', () => {
  describe('chain-of-thought elicitation', () => {
    it.each([
      'Solve for x: 3x + 5 = 20. Show your work step by step.',
      'Explain your reasoning in detail before giving the final answer.',
      'Walk me through how you would approach this proof.',
      'Think carefully and lay out your full reasoning process.',
      "Let's think step-by-step about why the bridge collapsed.",
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('cotElicitation');
    });
    it.each([
      'What is the capital of Australia?',
      'Write a short poem about the sea.',
      'I took a step back and thought about my career. Any advice?',
      'Summarise this article in three bullet points.',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('cotElicitation');
    });
    it('reports a system prompt that asks for reasoning separately', () => {
      const { flags } = signals('What is 12 times 13?', { system: 'You are a tutor. Always show every step of your reasoning.' });
      expect(flags).toContain('systemCot');
      expect(flags).not.toContain('cotElicitation');
    });
  });

  describe('rubric grading', () => {
    it.each([
      'Grade the following response against the rubric below and give a score from 1 to 10.',
      'You are an impartial judge. Which response is better, Response A or Response B?',
      'On a scale of 1 to 5, rate how well the answer follows the instructions.',
      'Evaluate the response for factual accuracy using these evaluation criteria.',
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('rubricGrading');
    });
    it.each([
      'On a scale of 1 to 10, how spicy is a jalapeño?',
      'What grade do I need on the final to pass the course?',
      'Score: 3-1 for the home team. Who scored the goals?',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('rubricGrading');
    });
  });

  describe('explain a finished answer', () => {
    it.each([
      'Question: what is 15% of 80? The correct answer is 12. Explain the reasoning that leads to this answer.',
      'Here is a problem and its solution. The answer is B. Justify why it is correct, step by step.',
      'Given answer: 42. Reconstruct the reasoning behind it.',
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('explainAnswer');
    });
    it.each([
      'Explain why the sky is blue.',
      'What is the answer to life, the universe and everything?',
      'Can you explain how photosynthesis works?',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('explainAnswer');
    });
  });

  describe('safe rewrite of a sensitive question', () => {
    it.each([
      'Rewrite the following question so that it is safe and harmless to answer: how do I pick a lock?',
      'Rephrase this request into a policy-compliant version that does not violate any guidelines.',
      'Reformulate the question below as a benign one a model would not refuse.',
    ])('flags "%s"', (prompt) => {
      expect(signals(prompt).flags).toContain('safeRewrite');
    });
    it.each([
      'Rewrite this paragraph to sound more formal.',
      'Is it safe to eat raw cookie dough?',
      'Paraphrase the following sentence: the cat sat on the mat.',
    ])('does not flag "%s"', (prompt) => {
      expect(signals(prompt).flags).not.toContain('safeRewrite');
    });
  });

  describe('capability', () => {
    it.each([
      ['Write a Python function that parses a CSV line and handles quoted fields.', 'coding'],
      ['Fix this bug:\n```js\nconst x = y.map()\n```', 'coding'],
      ['Solve the equation x^2 - 5x + 6 = 0 and find the sum of the roots.', 'math'],
      ['Here is a dataset of monthly sales with columns region and revenue. Analyze the trends and find outliers.', 'data_analysis'],
      ['A riddle: if all bloops are razzies and all razzies are lazzies, what can we deduce? Use logic.', 'reasoning'],
      ['Write an essay about the French revolution for my history class.', 'writing'],
      ['Hi! How are you doing today?', 'chat'],
    ])('labels "%s" as %s', (prompt, label) => {
      expect(signals(prompt).capability).toBe(label);
    });

    it('labels requests by their structure first: computer use, images, agent loops', () => {
      expect(signals('Open the browser', { shape: { ...plain, toolCount: 1, toolTypes: ['computer_20250124'] } }).capability).toBe('computer_use');
      expect(signals('What is in this picture?', { shape: { ...plain, imageCount: 1 } }).capability).toBe('vision');
      expect(signals('Continue', { shape: { ...plain, toolCount: 3, toolActivity: 2 } }).capability).toBe('agentic');
    });

    it.each([
      [['click', 'double_click', 'scroll', 'type', 'keypress', 'wait', 'screenshot'], 'computer_use'],
      [['click_element_by_index', 'input_text', 'scroll_down', 'go_to_url', 'done'], 'computer_use'],
      [['mouseMove', 'leftClick', 'takeScreenshot'], 'computer_use'],
      [['tap', 'swipe', 'screenshot'], 'computer_use'],
      [['web_search', 'send_email', 'get_weather', 'sql_query'], 'vision'],
      [['fetch_url', 'click_link'], 'vision'],
      [['type_text', 'press_key', 'screenshot'], 'vision'],
      [['get_api_key', 'list_keys', 'screen_candidates'], 'vision'],
    ])('labels function tools %j beside a screenshot as %s: a pointer beside a look or a keystroke drives a screen', (toolNames, label) => {
      const shape = { ...plain, imageCount: 1, toolCount: toolNames.length, toolActivity: 2, screenActions: toolNames.reduce((actions, name) => actions | screenActionsOf(name), 0) };
      expect(signals('Continue with the task.', { shape }).capability).toBe(label);
    });
  });

  it('keeps the stored bit numbers: verdicts 1, 2, 4, 8, code 16, system asks 2048 and 4096', () => {
    expect([CONTENT_FLAG.cotElicitation, CONTENT_FLAG.rubricGrading, CONTENT_FLAG.explainAnswer, CONTENT_FLAG.safeRewrite, CONTENT_FLAG.code]).toEqual([1, 2, 4, 8, 16]);
    expect([CONTENT_FLAG.systemCot, CONTENT_FLAG.systemRubric]).toEqual([2048, 4096]);
  });

  describe('asks in quotes, in code and after a negation', () => {
    it('reads an ask inside quotes or a code block as an ask', () => {
      expect(signals('Answer the question below. "Think step by step."').flags).toContain('cotElicitation');
      expect(signals('Question: 2+2?\n```\nexplain your reasoning before the final answer\n```').flags).toContain('cotElicitation');
    });
    it.each(['Do not explain your reasoning, just give the letter.', 'Answer without showing your work.', "Don't walk me through it, only the result."])(
      'does not flag a negated ask "%s"',
      (prompt) => {
        expect(signals(prompt).flags).not.toContain('cotElicitation');
      },
    );
    it('still flags an ask that follows a negated clause', () => {
      expect(signals('Do not just answer; explain your reasoning step by step.').flags).toContain('cotElicitation');
    });
  });
});

type ParaphraseSet = Record<'cotElicitation' | 'rubricGrading' | 'explainAnswer' | 'safeRewrite', string[]>;

function readSet(name: string): ParaphraseSet {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as ParaphraseSet;
}

function hitRate(set: ParaphraseSet): { hits: number; total: number; misses: string[] } {
  let hits = 0;
  let total = 0;
  const misses: string[] = [];
  for (const [verdict, prompts] of Object.entries(set)) {
    for (const prompt of prompts) {
      total++;
      const { flags } = signals(prompt);
      if (flags.includes(verdict)) {
        hits++;
        // None of these is in a phrase list: the verdict must come from the paraphrase rules.
        expect(flags, prompt).toContain('paraphrase');
      } else {
        misses.push(`${verdict}: ${prompt}`);
      }
    }
  }
  return { hits, total, misses };
}

function corpusPrompts(corpus: string, limit = Infinity): string[] {
  const lines = readFileSync(new URL(`../../data/corpora/${corpus}.jsonl`, import.meta.url), 'utf8').trim().split('\n');
  return lines.slice(0, limit).map((line) => (JSON.parse(line) as { text: string }).text);
}

describe('elicitation worded in other ways (paraphrases no phrase list holds)', () => {
  it('flags at least 85% of the 75 paraphrases the rules were written with', () => {
    const { hits, total, misses } = hitRate(readSet('elicitation-paraphrases.json'));
    expect(total).toBe(75);
    expect(hits / total, misses.join('\n')).toBeGreaterThanOrEqual(0.85);
  });

  it('flags at least half of the 27 paraphrases written after the rules (held out)', () => {
    const { hits, total, misses } = hitRate(readSet('elicitation-paraphrases-held-out.json'));
    expect(total).toBe(27);
    expect(hits / total, misses.join('\n')).toBeGreaterThanOrEqual(0.5);
  });

  it('flags none of 120 ordinary prompts: the first 40 of the oasst, hh-rlhf and alpaca_eval corpora', () => {
    const prompts = [...corpusPrompts('oasst_prompts', 40), ...corpusPrompts('hh_rlhf_harmless_test', 40), ...corpusPrompts('alpaca_eval', 40)];
    expect(prompts).toHaveLength(120);
    const fired = prompts.filter((prompt) => signals(prompt).flags.some((name) => ['cotElicitation', 'rubricGrading', 'explainAnswer', 'safeRewrite'].includes(name)));
    expect(fired).toEqual([]);
  });

  it('adds asks by paraphrase to at most 0.5% of the prompts of the chat and question corpora', () => {
    const corpora = ['oasst_prompts', 'hh_rlhf_harmless_test', 'alpaca_eval', 'alpaca_instructions', 'sharegpt_sample', 'mt_bench', 'gsm8k_train'];
    let total = 0;
    let fired = 0;
    for (const corpus of corpora) {
      for (const prompt of corpusPrompts(corpus, 1500)) {
        total++;
        if (signals(prompt).flags.includes('paraphrase')) fired++;
      }
    }
    expect(total).toBeGreaterThan(5000);
    expect(fired / total).toBeLessThanOrEqual(0.005);
  });
});

describe('asks in other languages', () => {
  const cases: [string, string, string, string, string, string | null][] = [
    // language, reasoning ask, grading ask, safe rewrite ask, ordinary prompt, language code
    // (null: a Latin-script language the language guess has no function words for)
    ['Chinese', '请一步一步地解答这道题，并展示你的推理过程。', '请根据评分标准给这个回答打分，1到10分。', '请把下面这个问题改写成安全、无害的版本。', '今天北京的天气怎么样？我想去公园散步。', 'zh'],
    ['Japanese', 'この問題をステップバイステップで解いて、考え方を説明してください。', '次の回答を採点してください。', 'この質問を安全な内容に書き換えてください。', '東京でおすすめのラーメン屋はどこですか？', 'ja'],
    ['Korean', '이 문제를 단계별로 풀고 풀이 과정을 보여 주세요.', '다음 답변을 채점하고 1점에서 10점 사이의 점수를 매겨 주세요.', '이 질문을 안전한 내용으로 다시 작성해 주세요.', '서울에서 가볼 만한 카페를 추천해 주세요.', 'ko'],
    ['Spanish', 'Resuelve el problema paso a paso y muestra tu razonamiento.', 'Califica la respuesta en una escala del 1 al 10.', 'Reescribe esta pregunta para que sea segura e inofensiva.', '¿Cuál es la capital de Argentina y qué lugares puedo visitar?', 'es'],
    ['French', 'Résous ce problème étape par étape et explique ton raisonnement.', 'Évalue la réponse suivante sur une échelle de 1 à 10.', "Reformule cette question pour qu'elle soit sans danger.", 'Quelle est la meilleure saison pour visiter la Provence ?', 'fr'],
    ['German', 'Löse die Aufgabe Schritt für Schritt und zeige deinen Rechenweg.', 'Bewerte die Antwort auf einer Skala von 1 bis 10.', 'Schreibe diese Frage um, damit sie harmlos ist.', 'Wie wird das Wetter morgen in Berlin?', 'de'],
    ['Portuguese', 'Resolva o problema passo a passo e mostre seu raciocínio.', 'Avalie a resposta e dê uma nota de 1 a 10.', 'Reescreva esta pergunta para que seja segura e inofensiva.', 'Qual é a melhor praia do Rio de Janeiro para famílias com crianças?', 'pt'],
    ['Russian', 'Реши задачу шаг за шагом и покажи ход решения.', 'Оцени ответ по шкале от 1 до 10.', 'Перепиши этот вопрос, чтобы он был безопасным.', 'Какая погода будет завтра в Москве?', 'cyrillic'],
    ['Arabic', 'حل هذه المسألة خطوة بخطوة واشرح تفكيرك.', 'قيم الإجابة على مقياس من 1 إلى 10.', 'أعد صياغة هذا السؤال ليكون آمنا وغير ضار.', 'ما هي أفضل المطاعم في القاهرة؟', 'arabic'],
    ['Italian', 'Risolvi il problema passo dopo passo e spiega il tuo ragionamento.', 'Valuta la risposta seguente su una scala da 1 a 10.', 'Riscrivi questa domanda in modo che sia innocua.', 'Qual è il periodo migliore per visitare la Sicilia con i bambini, e che cosa non perdere?', 'it'],
    ['Turkish', 'Bu problemi adım adım çöz ve düşünce sürecini açıkla.', 'Aşağıdaki cevabı değerlendir ve 1 ile 10 arasında puan ver.', 'Bu soruyu zararsız olacak şekilde yeniden yaz.', "İstanbul'da ailece gidilecek güzel restoranlar hangileri?", null],
    ['Indonesian', 'Selesaikan soal ini langkah demi langkah dan jelaskan penalaranmu.', 'Nilai jawaban berikut pada skala 1 sampai 10.', 'Tulis ulang pertanyaan ini agar tidak berbahaya.', 'Di mana tempat makan yang enak di Bandung untuk keluarga?', null],
    ['Vietnamese', 'Hãy giải bài toán này từng bước và giải thích lập luận của bạn.', 'Hãy chấm điểm câu trả lời sau trên thang điểm từ 1 đến 10.', 'Hãy viết lại câu hỏi này sao cho an toàn và vô hại.', 'Quán phở nào ngon nhất ở Hà Nội cho gia đình?', null],
    ['Swahili', 'Tatua swali hili hatua kwa hatua na uonyeshe kazi yako.', 'Tathmini jibu hili na utoe alama kutoka 1 hadi 10.', 'Andika upya swali hili ili liwe salama.', 'Ni wapi mahali pazuri pa kula chakula cha jioni jijini Nairobi?', null],
    ['Hindi', 'इस प्रश्न को चरण दर चरण हल करें और अपना तर्क समझाएं।', 'इस उत्तर का मूल्यांकन करें और 1 से 10 के पैमाने पर अंक दें।', 'इस प्रश्न को सुरक्षित बनाने के लिए फिर से लिखें।', 'दिल्ली में परिवार के साथ घूमने के लिए सबसे अच्छी जगहें कौन सी हैं?', 'devanagari'],
    ['Bengali', 'এই সমস্যাটি ধাপে ধাপে সমাধান করুন এবং আপনার যুক্তি ব্যাখ্যা করুন।', 'নিচের উত্তরটি মূল্যায়ন করুন এবং ১ থেকে ১০ নম্বর দিন।', 'এই প্রশ্নটি নিরাপদ করার জন্য আবার লিখুন।', 'ঢাকায় পরিবার নিয়ে ঘোরার জন্য সবচেয়ে ভালো জায়গা কোনটি?', 'other'],
    ['Telugu', 'ఈ సమస్యను దశల వారీగా పరిష్కరించి మీ తర్కాన్ని వివరించండి.', 'ఈ సమాధానాన్ని మూల్యాంకనం చేయండి మరియు 1 నుండి 10 వరకు మార్కులు ఇవ్వండి.', 'ఈ ప్రశ్నను సురక్షితమైన విధంగా తిరిగి రాయండి.', 'హైదరాబాద్‌లో కుటుంబంతో వెళ్లడానికి మంచి రెస్టారెంట్లు ఏవి?', 'other'],
    ['Thai', 'ช่วยแก้โจทย์นี้ทีละขั้นตอนและแสดงวิธีคิดด้วย', 'ช่วยประเมินคำตอบต่อไปนี้ โดยให้คะแนน 1 ถึง 10', 'ช่วยเขียนใหม่ให้คำถามนี้ปลอดภัย', 'ร้านอาหารทะเลที่อร่อยในภูเก็ตมีที่ไหนบ้าง', 'thai'],
  ];
  describe.each(cases)('%s', (_language, cot, rubric, rewrite, ordinary, code) => {
    it('flags a reasoning ask, a grading ask and a safe-rewrite ask, marked as non-English', () => {
      expect(signals(cot).flags).toEqual(expect.arrayContaining(['cotElicitation', 'nonEnglishAsk']));
      expect(signals(rubric).flags).toContain('rubricGrading');
      expect(signals(rewrite).flags).toContain('safeRewrite');
    });
    it('flags nothing in an ordinary question and tells the language', () => {
      const { flags, language } = signals(ordinary);
      expect(flags.filter((name) => ['cotElicitation', 'rubricGrading', 'explainAnswer', 'safeRewrite'].includes(name))).toEqual([]);
      if (code === null) return;
      expect(language).toBe(code);
      expect(signals(cot).language).toBe(code);
    });
  });

  it('names the script of Indic text whose vowel signs and joiners are as many as its letters', () => {
    // 26 Telugu letters, 25 vowel signs and viramas and one zero-width non-joiner.
    expect(signals('హైదరాబాద్‌లో కుటుంబంతో వెళ్లడానికి మంచి రెస్టారెంట్లు ఏవి?').language).toBe('other');
  });

  it('reads Thai, written without spaces between words, one character a token', () => {
    expect(signals('ช่วยแก้โจทย์นี้ทีละขั้นตอนด้วย').flags).toContain('cotElicitation');
    expect(signals('ร้านอาหารทะเลที่อร่อยในภูเก็ตมีที่ไหนบ้าง').flags).toEqual([]);
  });

  it('matches a Latin-script phrase with or without its accents, and tells English apart', () => {
    expect(signals('Evalua la respuesta de 1 a 10, por favor.').flags).toContain('rubricGrading');
    expect(signals('Resous le probleme etape par etape.').flags).toContain('cotElicitation');
    expect(signals('What is the capital of France and how big is it?').language).toBe('en');
    expect(signals('12345 + 678').language).toBe('none');
  });
});

describe('probes of an answer', () => {
  // A follow-up a student or a harvesting script sends after an answer, per language; and a
  // first question of the same language with no probe in it.
  const cases: [string, string, string][] = [
    ['English', 'Are you sure? Solve it with a different method.', 'Plan a three-day trip to Lisbon for two people.'],
    ['Chinese', '你确定吗？换一种方法再做一遍。', '今天北京的天气怎么样？我想去公园散步。'],
    ['Japanese', 'なぜそうなるのですか？別の方法でも解いてください。', '東京でおすすめのラーメン屋はどこですか？'],
    ['Korean', '왜 그렇게 되나요? 다른 방법으로도 풀어 주세요.', '서울에서 가볼 만한 카페를 추천해 주세요.'],
    ['Spanish', '¿Por qué? Resuélvelo de otra forma.', '¿Cuál es la capital de Argentina y qué lugares puedo visitar?'],
    ['French', 'Pourquoi ? Fais-le avec une autre méthode.', 'Quelle est la meilleure saison pour visiter la Provence ?'],
    ['German', 'Warum? Löse es auf eine andere Weise.', 'Wie wird das Wetter morgen in Berlin?'],
    ['Portuguese', 'Por que? Resolva de outra forma.', 'Qual é a melhor praia do Rio de Janeiro para famílias com crianças?'],
    ['Russian', 'Почему? Реши другим способом.', 'Какая погода будет завтра в Москве?'],
    ['Arabic', 'لماذا؟ حلها بطريقة أخرى.', 'ما هي أفضل المطاعم في القاهرة؟'],
    ['Italian', 'Come mai? Risolvilo in un altro modo.', 'Qual è il periodo migliore per visitare la Sicilia con i bambini?'],
    ['Turkish', 'Emin misin? Başka bir yöntemle çöz.', "İstanbul'da ailece gidilecek güzel restoranlar hangileri?"],
    ['Indonesian', 'Kenapa begitu? Coba kerjakan dengan cara lain.', 'Di mana tempat makan yang enak di Bandung untuk keluarga?'],
    ['Vietnamese', 'Tại sao lại như vậy? Hãy giải bằng cách khác.', 'Quán phở nào ngon nhất ở Hà Nội cho gia đình?'],
    ['Swahili', 'Kwa nini iko hivyo? Tumia njia nyingine.', 'Ni wapi mahali pazuri pa kula chakula cha jioni jijini Nairobi?'],
    ['Hindi', 'ऐसा क्यों है? इसे किसी दूसरे तरीके से हल करें।', 'दिल्ली में परिवार के साथ घूमने के लिए सबसे अच्छी जगहें कौन सी हैं?'],
    ['Bengali', 'কেন এমন হয়? অন্য পদ্ধতিতে সমাধান করুন।', 'ঢাকায় পরিবার নিয়ে ঘোরার জন্য সবচেয়ে ভালো জায়গা কোনটি?'],
    ['Telugu', 'ఎందుకు అలా? మరో పద్ధతిలో పరిష్కరించండి.', 'హైదరాబాద్‌లో కుటుంబంతో వెళ్లడానికి మంచి రెస్టారెంట్లు ఏవి?'],
    ['Thai', 'ทำไมเป็นแบบนั้น ลองใช้วิธีอื่นดู', 'ร้านอาหารทะเลที่อร่อยในภูเก็ตมีที่ไหนบ้าง'],
  ];
  it.each(cases)('%s: finds the probe, and none in an ordinary question', (_language, probe, ordinary) => {
    expect(signals(probe).flags).toContain('probeAsk');
    expect(signals(ordinary).flags).not.toContain('probeAsk');
  });
});
