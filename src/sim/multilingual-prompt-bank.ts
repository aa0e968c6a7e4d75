/**
 * Instructions around non-English problems, written as native speakers write them: explicit
 * step-by-step requests, paraphrased requests for the reasoning, plain frames that ask for the
 * answer only, and grading requests (the model as a judge), per language. `{q}` is the problem,
 * `{a}` the answer graded. Google's disclosure describes harvesting runs of 100,000+ prompts in
 * many non-English languages; the problems themselves come from the corpora (MGSM and the
 * non-English prompts of the chat corpora), never from translation at run time.
 *
 * The labels are what worked answers in the language use, for the simulated responses.
 */
export interface LanguageWording {
  /** Explicit requests for step-by-step reasoning. */
  elicit: readonly string[];
  /** Requests for the reasoning or a justification in other words. */
  paraphrase: readonly string[];
  /** The problem with at most a neutral frame. */
  plain: readonly string[];
  grading: readonly string[];
  /** `{n}` is the step number. */
  stepLabel: string;
  answerLabel: string;
  /** "So" / "therefore", as a worked answer says it. */
  therefore: string;
}

export const LANGUAGE_WORDINGS: Readonly<Record<string, LanguageWording>> = {
  zh: {
    elicit: ['{q}\n请一步一步地思考，并给出最终答案。', '请逐步推理并解答下面的问题，最后把答案写在“答案：”之后。\n\n{q}', '{q}\n请详细写出每一步的解题过程。', '让我们一步一步地思考。\n{q}'],
    paraphrase: ['{q}\n请说明你的推理过程，再给出结论。', '请解答下题，并解释你是怎么得到这个答案的。\n\n{q}', '{q}\n不要只给答案，把思路和每个中间结果都写清楚。', '{q}\n请先分析题目，再写出计算过程和理由。'],
    plain: ['{q}', '{q}', '解答：{q}', '问题：{q}\n答案：', '请回答下面的问题。\n{q}'],
    grading: [
      '请根据以下评分标准给这个回答打分（1-10分），并说明理由。\n\n问题：{q}\n\n回答：{a}',
      '问题：{q}\n\n学生的解答：{a}\n\n请判断这个解答是否正确，指出错误，并给出1到5分的评分。',
      '你是一名严格的评分员。请评价下面的回答，先写评语，最后一行只写分数（满分10分）。\n\n题目：{q}\n回答：{a}',
    ],
    stepLabel: '第{n}步：',
    answerLabel: '答案：',
    therefore: '所以',
  },
  ja: {
    elicit: ['{q}\nステップバイステップで考えて、最終的な答えを出してください。', '次の問題を段階的に解いてください。最後に「答え：」の後に答えを書いてください。\n\n{q}', '{q}\n一歩ずつ順を追って考えましょう。', '以下の問題について、途中の計算をすべて示しながら順番に解いてください。\n\n{q}'],
    paraphrase: ['{q}\n答えだけでなく、どのように考えたのかも説明してください。', '次の問題を解き、その答えになる理由を詳しく説明してください。\n\n{q}', '{q}\n考え方と途中の結果を明らかにしたうえで、結論を述べてください。', '{q}\n解き方の根拠を示してから答えてください。'],
    plain: ['{q}', '{q}', '問題：{q}\n答え：', '次の質問に答えてください。\n{q}', '{q}\n答えのみを書いてください。'],
    grading: [
      '次の回答を1〜10点で採点し、その理由を説明してください。\n\n問題：{q}\n\n回答：{a}',
      '問題：{q}\n\n解答：{a}\n\nこの解答は正しいですか？誤りがあれば指摘し、5段階で評価してください。',
      'あなたは厳格な採点者です。以下の回答を評価し、講評を書いたうえで、最後の行に点数（10点満点）だけを書いてください。\n\n問題：{q}\n回答：{a}',
    ],
    stepLabel: 'ステップ{n}：',
    answerLabel: '答え：',
    therefore: 'したがって、',
  },
  ko: {
    elicit: ['{q}\n단계별로 생각해서 최종 답을 구해 주세요.', '다음 문제를 단계적으로 풀어 주세요. 마지막에 "답:" 뒤에 답을 적어 주세요.\n\n{q}', '{q}\n한 단계씩 차근차근 생각해 봅시다.', '아래 문제를 풀이 과정을 모두 보여 주면서 단계별로 풀어 주세요.\n\n{q}'],
    paraphrase: ['{q}\n답만 쓰지 말고 어떻게 그 답에 도달했는지 설명해 주세요.', '다음 문제를 풀고, 왜 그 답이 맞는지 자세히 설명해 주세요.\n\n{q}', '{q}\n생각의 흐름과 중간 결과를 모두 밝힌 뒤 결론을 내려 주세요.', '{q}\n풀이의 근거를 먼저 제시하고 나서 답해 주세요.'],
    plain: ['{q}', '{q}', '문제: {q}\n답:', '다음 질문에 답하세요.\n{q}', '{q}\n답만 적어 주세요.'],
    grading: [
      '다음 답변을 1점에서 10점 사이로 채점하고 그 이유를 설명해 주세요.\n\n질문: {q}\n\n답변: {a}',
      '문제: {q}\n\n풀이: {a}\n\n이 풀이가 맞습니까? 틀린 부분이 있으면 지적하고 5점 만점으로 평가해 주세요.',
      '당신은 엄격한 채점자입니다. 아래 답변에 대한 평가를 작성하고, 마지막 줄에는 점수(10점 만점)만 적어 주세요.\n\n문제: {q}\n답변: {a}',
    ],
    stepLabel: '{n}단계: ',
    answerLabel: '답: ',
    therefore: '따라서 ',
  },
  ru: {
    elicit: ['{q}\nДавай рассуждать шаг за шагом, а в конце дай окончательный ответ.', 'Реши следующую задачу пошагово. В конце напиши ответ после слова «Ответ:».\n\n{q}', '{q}\nРассуждай шаг за шагом.', 'Решите задачу, подробно расписав каждый шаг решения.\n\n{q}'],
    paraphrase: ['{q}\nНе ограничивайся ответом — объясни, как ты к нему пришёл.', 'Реши задачу и подробно обоснуй, почему ответ именно такой.\n\n{q}', '{q}\nОпиши ход своих рассуждений и все промежуточные результаты, затем сформулируй вывод.', '{q}\nСначала приведи обоснование решения, потом ответ.'],
    plain: ['{q}', '{q}', 'Задача: {q}\nОтвет:', 'Ответь на вопрос.\n{q}', '{q}\nНапиши только ответ.'],
    grading: [
      'Оцени следующий ответ по шкале от 1 до 10 и объясни оценку.\n\nВопрос: {q}\n\nОтвет: {a}',
      'Задача: {q}\n\nРешение ученика: {a}\n\nВерно ли это решение? Укажи ошибки, если они есть, и поставь оценку от 1 до 5.',
      'Ты строгий экзаменатор. Оцени ответ ниже: сначала напиши комментарий, а в последней строке укажи только балл (из 10).\n\nЗадача: {q}\nОтвет: {a}',
    ],
    stepLabel: 'Шаг {n}: ',
    answerLabel: 'Ответ: ',
    therefore: 'Следовательно, ',
  },
  ar: {
    elicit: ['{q}\nفكّر خطوة بخطوة ثم أعطِ الإجابة النهائية.', 'حلّ المسألة التالية خطوة بخطوة، واكتب الإجابة في النهاية بعد كلمة "الإجابة:".\n\n{q}', '{q}\nلنفكّر في الأمر خطوة بخطوة.', 'اشرح حلّ المسألة التالية بالتفصيل، مع عرض كل خطوة من خطوات الحل.\n\n{q}'],
    paraphrase: ['{q}\nلا تكتفِ بالإجابة، بل اشرح كيف توصّلت إليها.', 'حلّ المسألة التالية ووضّح بالتفصيل لماذا تكون هذه هي الإجابة الصحيحة.\n\n{q}', '{q}\nاعرض طريقة تفكيرك وجميع النتائج الوسيطة، ثم اذكر النتيجة.', '{q}\nقدّم المبررات أولاً ثم الإجابة.'],
    plain: ['{q}', '{q}', 'المسألة: {q}\nالإجابة:', 'أجب عن السؤال التالي.\n{q}', '{q}\nاكتب الإجابة فقط.'],
    grading: [
      'قيّم الإجابة التالية على مقياس من 1 إلى 10 واشرح سبب تقييمك.\n\nالسؤال: {q}\n\nالإجابة: {a}',
      'المسألة: {q}\n\nحل الطالب: {a}\n\nهل هذا الحل صحيح؟ حدّد الأخطاء إن وجدت، وأعطِ درجة من 1 إلى 5.',
      'أنت مصحّح صارم. اكتب ملاحظاتك على الإجابة أدناه، ثم اكتب في السطر الأخير الدرجة فقط (من 10).\n\nالمسألة: {q}\nالإجابة: {a}',
    ],
    stepLabel: 'الخطوة {n}: ',
    answerLabel: 'الإجابة: ',
    therefore: 'إذن ',
  },
  es: {
    elicit: ['{q}\nPiensa paso a paso y da la respuesta final.', 'Resuelve el siguiente problema paso a paso. Al final, escribe la respuesta después de "Respuesta:".\n\n{q}', '{q}\nRazonemos paso a paso.', 'Resuelve este problema mostrando cada paso del procedimiento.\n\n{q}'],
    paraphrase: ['{q}\nNo te limites a dar la respuesta: explica cómo llegaste a ella.', 'Resuelve el siguiente problema y justifica con detalle por qué esa es la respuesta.\n\n{q}', '{q}\nExplica tu razonamiento y todos los resultados intermedios antes de dar la conclusión.', '{q}\nPrimero argumenta la solución y después da la respuesta.'],
    plain: ['{q}', '{q}', 'Problema: {q}\nRespuesta:', 'Responde la siguiente pregunta.\n{q}', '{q}\nEscribe solo la respuesta.'],
    grading: [
      'Califica la siguiente respuesta del 1 al 10 y explica tu calificación.\n\nPregunta: {q}\n\nRespuesta: {a}',
      'Problema: {q}\n\nSolución del alumno: {a}\n\n¿Es correcta esta solución? Señala los errores, si los hay, y ponle una nota del 1 al 5.',
      'Eres un evaluador exigente. Escribe tus comentarios sobre la respuesta y, en la última línea, solo la puntuación (sobre 10).\n\nProblema: {q}\nRespuesta: {a}',
    ],
    stepLabel: 'Paso {n}: ',
    answerLabel: 'Respuesta: ',
    therefore: 'Por lo tanto, ',
  },
  fr: {
    elicit: ['{q}\nRéfléchis étape par étape, puis donne la réponse finale.', 'Résous le problème suivant étape par étape. À la fin, écris la réponse après « Réponse : ».\n\n{q}', '{q}\nRaisonnons étape par étape.', 'Résolvez ce problème en détaillant chaque étape du calcul.\n\n{q}'],
    paraphrase: ['{q}\nNe te contente pas de la réponse : explique comment tu y es arrivé.', 'Résous le problème suivant et justifie en détail pourquoi c\'est la bonne réponse.\n\n{q}', '{q}\nExpose ton raisonnement et tous les résultats intermédiaires avant de conclure.', '{q}\nJustifiez d\'abord la démarche, puis donnez la réponse.'],
    plain: ['{q}', '{q}', 'Problème : {q}\nRéponse :', 'Réponds à la question suivante.\n{q}', '{q}\nDonne uniquement la réponse.'],
    grading: [
      'Note la réponse suivante de 1 à 10 et explique ta note.\n\nQuestion : {q}\n\nRéponse : {a}',
      'Problème : {q}\n\nSolution de l\'élève : {a}\n\nCette solution est-elle correcte ? Signale les erreurs éventuelles et attribue une note de 1 à 5.',
      'Tu es un correcteur exigeant. Rédige ton commentaire sur la réponse ci-dessous, puis indique uniquement la note (sur 10) à la dernière ligne.\n\nProblème : {q}\nRéponse : {a}',
    ],
    stepLabel: 'Étape {n} : ',
    answerLabel: 'Réponse : ',
    therefore: 'Donc ',
  },
  de: {
    elicit: ['{q}\nDenke Schritt für Schritt nach und gib dann die endgültige Antwort.', 'Löse die folgende Aufgabe Schritt für Schritt. Schreibe am Ende die Antwort nach „Antwort:“.\n\n{q}', '{q}\nLass uns Schritt für Schritt denken.', 'Lösen Sie die Aufgabe und zeigen Sie dabei jeden Rechenschritt.\n\n{q}'],
    paraphrase: ['{q}\nGib nicht nur die Antwort an, sondern erkläre, wie du darauf gekommen bist.', 'Löse die folgende Aufgabe und begründe ausführlich, warum das die richtige Antwort ist.\n\n{q}', '{q}\nLege deinen Gedankengang und alle Zwischenergebnisse dar, bevor du zum Ergebnis kommst.', '{q}\nBegründen Sie zuerst den Lösungsweg und nennen Sie dann die Antwort.'],
    plain: ['{q}', '{q}', 'Aufgabe: {q}\nAntwort:', 'Beantworte die folgende Frage.\n{q}', '{q}\nGib nur die Antwort an.'],
    grading: [
      'Bewerte die folgende Antwort auf einer Skala von 1 bis 10 und begründe die Bewertung.\n\nFrage: {q}\n\nAntwort: {a}',
      'Aufgabe: {q}\n\nLösung des Schülers: {a}\n\nIst diese Lösung richtig? Nenne gegebenenfalls die Fehler und vergib eine Note von 1 bis 5.',
      'Du bist ein strenger Prüfer. Schreibe zuerst dein Gutachten zur Antwort unten und in die letzte Zeile nur die Punktzahl (von 10).\n\nAufgabe: {q}\nAntwort: {a}',
    ],
    stepLabel: 'Schritt {n}: ',
    answerLabel: 'Antwort: ',
    therefore: 'Also ',
  },
  pt: {
    elicit: ['{q}\nPense passo a passo e depois dê a resposta final.', 'Resolva o problema a seguir passo a passo. No final, escreva a resposta depois de "Resposta:".\n\n{q}', '{q}\nVamos pensar passo a passo.', 'Resolva este problema mostrando cada etapa do cálculo.\n\n{q}'],
    paraphrase: ['{q}\nNão se limite à resposta: explique como você chegou a ela.', 'Resolva o problema a seguir e justifique em detalhe por que essa é a resposta certa.\n\n{q}', '{q}\nExplique seu raciocínio e todos os resultados intermediários antes de concluir.'],
    plain: ['{q}', '{q}', 'Problema: {q}\nResposta:', 'Responda à pergunta a seguir.\n{q}', '{q}\nEscreva apenas a resposta.'],
    grading: [
      'Dê uma nota de 1 a 10 para a resposta a seguir e explique a nota.\n\nPergunta: {q}\n\nResposta: {a}',
      'Problema: {q}\n\nSolução do aluno: {a}\n\nEssa solução está correta? Aponte os erros, se houver, e dê uma nota de 1 a 5.',
    ],
    stepLabel: 'Passo {n}: ',
    answerLabel: 'Resposta: ',
    therefore: 'Portanto, ',
  },
  th: {
    elicit: ['{q}\nคิดทีละขั้นตอน แล้วให้คำตอบสุดท้าย', 'จงแก้โจทย์ต่อไปนี้ทีละขั้นตอน และเขียนคำตอบไว้ท้ายสุดหลังคำว่า "คำตอบ:"\n\n{q}', '{q}\nลองคิดไปทีละขั้นตอนกัน'],
    paraphrase: ['{q}\nไม่ต้องตอบแค่คำตอบ ช่วยอธิบายด้วยว่าได้คำตอบนี้มาอย่างไร', 'จงแก้โจทย์ต่อไปนี้ และอธิบายเหตุผลอย่างละเอียดว่าทำไมคำตอบจึงเป็นเช่นนั้น\n\n{q}', '{q}\nอธิบายแนวคิดและผลลัพธ์ระหว่างทางทั้งหมดก่อนสรุปคำตอบ'],
    plain: ['{q}', '{q}', 'โจทย์: {q}\nคำตอบ:', '{q}\nตอบเฉพาะคำตอบเท่านั้น'],
    grading: ['ให้คะแนนคำตอบต่อไปนี้ตั้งแต่ 1 ถึง 10 และอธิบายเหตุผล\n\nคำถาม: {q}\n\nคำตอบ: {a}', 'โจทย์: {q}\n\nวิธีทำของนักเรียน: {a}\n\nวิธีทำนี้ถูกต้องหรือไม่ ถ้ามีข้อผิดพลาดให้ชี้ให้เห็น และให้คะแนนเต็ม 5'],
    stepLabel: 'ขั้นตอนที่ {n}: ',
    answerLabel: 'คำตอบ: ',
    therefore: 'ดังนั้น ',
  },
  sw: {
    elicit: ['{q}\nFikiria hatua kwa hatua, kisha toa jibu la mwisho.', 'Tatua swali lifuatalo hatua kwa hatua. Mwishoni, andika jibu baada ya "Jibu:".\n\n{q}', '{q}\nTufikirie hatua kwa hatua.'],
    paraphrase: ['{q}\nUsitoe jibu peke yake; eleza jinsi ulivyolifikia.', 'Tatua swali lifuatalo na ueleze kwa kina kwa nini hilo ndilo jibu sahihi.\n\n{q}', '{q}\nEleza mawazo yako na matokeo yote ya kati kabla ya kutoa hitimisho.'],
    plain: ['{q}', '{q}', 'Swali: {q}\nJibu:', '{q}\nAndika jibu tu.'],
    grading: ['Toa alama kwa jibu lifuatalo kuanzia 1 hadi 10 na ueleze sababu.\n\nSwali: {q}\n\nJibu: {a}', 'Swali: {q}\n\nSuluhisho la mwanafunzi: {a}\n\nJe, suluhisho hili ni sahihi? Onyesha makosa kama yapo, kisha toa alama kati ya 1 na 5.'],
    stepLabel: 'Hatua ya {n}: ',
    answerLabel: 'Jibu: ',
    therefore: 'Kwa hiyo, ',
  },
  bn: {
    elicit: ['{q}\nধাপে ধাপে চিন্তা করো, তারপর চূড়ান্ত উত্তর দাও।', 'নিচের সমস্যাটি ধাপে ধাপে সমাধান করো। শেষে "উত্তর:" লিখে উত্তরটি দাও।\n\n{q}', '{q}\nচলো ধাপে ধাপে ভাবি।'],
    paraphrase: ['{q}\nশুধু উত্তর নয়, কীভাবে উত্তরে পৌঁছালে তাও ব্যাখ্যা করো।', 'নিচের সমস্যাটির সমাধান করো এবং কেন এটিই সঠিক উত্তর তা বিস্তারিতভাবে ব্যাখ্যা করো।\n\n{q}', '{q}\nসিদ্ধান্তে আসার আগে তোমার যুক্তি ও সব মধ্যবর্তী ফলাফল লিখে দেখাও।'],
    plain: ['{q}', '{q}', 'প্রশ্ন: {q}\nউত্তর:', '{q}\nশুধু উত্তরটি লেখো।'],
    grading: ['নিচের উত্তরটিকে ১ থেকে ১০-এর মধ্যে নম্বর দাও এবং কারণ ব্যাখ্যা করো।\n\nপ্রশ্ন: {q}\n\nউত্তর: {a}', 'প্রশ্ন: {q}\n\nছাত্রের সমাধান: {a}\n\nএই সমাধানটি কি সঠিক? ভুল থাকলে তা দেখাও এবং ৫-এর মধ্যে নম্বর দাও।'],
    stepLabel: 'ধাপ {n}: ',
    answerLabel: 'উত্তর: ',
    therefore: 'সুতরাং, ',
  },
  te: {
    elicit: ['{q}\nదశలవారీగా ఆలోచించి, చివరి సమాధానం ఇవ్వండి.', 'కింది సమస్యను దశలవారీగా పరిష్కరించండి. చివరలో "సమాధానం:" తర్వాత సమాధానం రాయండి.\n\n{q}', '{q}\nదశలవారీగా ఆలోచిద్దాం.'],
    paraphrase: ['{q}\nసమాధానం మాత్రమే కాకుండా, దానికి ఎలా చేరుకున్నారో వివరించండి.', 'కింది సమస్యను పరిష్కరించి, అదే సరైన సమాధానం ఎందుకో వివరంగా చెప్పండి.\n\n{q}'],
    plain: ['{q}', '{q}', 'ప్రశ్న: {q}\nసమాధానం:', '{q}\nసమాధానం మాత్రమే రాయండి.'],
    grading: ['కింది సమాధానానికి 1 నుండి 10 వరకు మార్కులు ఇచ్చి, కారణం వివరించండి.\n\nప్రశ్న: {q}\n\nసమాధానం: {a}', 'ప్రశ్న: {q}\n\nవిద్యార్థి పరిష్కారం: {a}\n\nఈ పరిష్కారం సరైనదేనా? తప్పులు ఉంటే చూపించి, 5కి మార్కులు ఇవ్వండి.'],
    stepLabel: 'దశ {n}: ',
    answerLabel: 'సమాధానం: ',
    therefore: 'కాబట్టి, ',
  },
};
