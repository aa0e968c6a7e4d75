/**
 * Elicitation phrases in languages other than English, one list per detector part, and the
 * function words that tell the Latin-script languages apart. Phrases are written as a native
 * speaker writes them, accents included: the scanner normalises them exactly like the prompts
 * (accents on Latin letters dropped, Arabic vowel signs removed, Han, kana and Hangul read one
 * character a token, and so are Thai, Lao, Khmer and Myanmar), so a phrase matches with or
 * without its accents and inside a run of text written without spaces between words. Several
 * inflected forms are listed where the language inflects the key word.
 */

export interface LanguagePhrases {
  /** Asks for step-by-step reasoning, the thought process or a worked solution. */
  cot: readonly string[];
  /** Unambiguous grading asks. */
  rubric: readonly string[];
  /** Score scales (`on a scale of # to #`), a rubric only together with a response term. */
  scoreAsk: readonly string[];
  responseTerms: readonly string[];
  /** A finished answer stated in the prompt. */
  givenAnswer: readonly string[];
  /** Asks for the reasoning behind something. */
  explainAsk: readonly string[];
  rewriteAsk: readonly string[];
  safetyTerms: readonly string[];
  /** Generic probes of an answer (why, are you sure, another method, harder, assumptions, I don't get it). */
  probe: readonly string[];
}

export const LANGUAGE_PHRASES: Readonly<Record<string, LanguagePhrases>> = {
  zh: {
    cot: ['一步一步', '一步步', '逐步', '分步', '思考过程', '思考過程', '推理过程', '推理過程', '解题过程', '解題過程', '详细步骤', '詳細步驟', '思维链', '思維鏈', '展示你的推理', '解释你的推理', '解釋你的推理', '写出推理', '寫出推理', '展示解题步骤', '每一步', '仔细思考', '仔細思考', '先思考再回答'],
    rubric: ['评分标准', '評分標準', '打分', '评分', '評分', '哪个回答更好', '哪個回答更好', '哪个答案更好', '哪個答案更好', '评估回答', '評估回答', '评判', '評判'],
    scoreAsk: ['# 到 # 分', '# 分 到 # 分', '满分 #', '滿分 #', '# 分制'],
    responseTerms: ['回答', '答案', '回复', '回覆'],
    givenAnswer: ['正确答案是', '正確答案是', '答案是', '标准答案', '標準答案'],
    explainAsk: ['解释为什么', '解釋為什麼', '说明理由', '說明理由', '推导过程', '推導過程', '为什么是', '為什麼是', '给出理由', '給出理由'],
    rewriteAsk: ['改写', '改寫', '重写', '重寫', '改述', '改成', '重新表述'],
    safetyTerms: ['安全', '无害', '無害', '合规', '合規', '敏感', '有害', '违规', '違規', '政策'],
    probe: ['为什么', '為什麼', '为何', '為何', '你确定', '你確定', '换一种方法', '換一種方法', '另一种方法', '另一種方法', '其他方法', '更难', '更難', '假设', '假設', '详细解释', '詳細解釋', '再检查', '再檢查', '验证一下', '驗證一下', '没看懂', '沒看懂', '不明白', '不懂'],
  },
  ja: {
    cot: ['ステップバイステップ', '段階的に', '順を追って', '一歩ずつ', '思考過程', '推論過程', '考え方を説明', '考えを説明', '途中式', '解き方を説明', '推論を示', '理由を順に', '思考の連鎖', 'よく考えて', '手順を示'],
    rubric: ['採点', '評価基準', '点数をつけ', 'どちらの回答が良い', 'どちらの回答がよい', 'どちらの答えが良い', '回答を評価', '答えを評価'],
    scoreAsk: ['# から # で', '# 点満点', '# 段階で評価', '# 点から # 点'],
    responseTerms: ['回答', '答え', '応答'],
    givenAnswer: ['正解は', '答えは', '正しい答えは'],
    explainAsk: ['理由を説明', 'なぜそうなるのか', '根拠を説明', '導き方'],
    rewriteAsk: ['書き換え', '言い換え', '書き直'],
    safetyTerms: ['安全', '無害', '有害', '不適切', 'ポリシー', '危険'],
    probe: ['なぜ', 'どうして', '本当に', '別の方法', '別のやり方', 'もっと難しい', '難しい問題', '前提', '仮定', '詳しく', 'もう一度確認', '確認して', 'わからない', '分からない'],
  },
  ko: {
    cot: ['단계별', '차근차근', '한 단계씩', '사고 과정', '추론 과정', '풀이 과정', '생각의 흐름', '추론을 보여', '풀이를 보여', '과정을 설명', '단계를 설명', '신중하게 생각'],
    rubric: ['채점', '평가 기준', '점수를 매겨', '점수를 매기', '어느 답변이 더 나은', '어떤 답변이 더 나은', '답변을 평가', '응답을 평가'],
    scoreAsk: ['# 점에서 # 점', '# 점 만점', '# 점 척도'],
    responseTerms: ['답변', '응답', '대답'],
    givenAnswer: ['정답은', '답은', '올바른 답은'],
    explainAsk: ['이유를 설명', '왜 그런지', '근거를 설명', '도출 과정'],
    rewriteAsk: ['다시 작성', '바꿔 써', '재작성', '고쳐 써', '바꿔 쓰', '고쳐 쓰'],
    safetyTerms: ['안전', '무해', '유해', '부적절', '정책', '위험'],
    probe: ['왜', '확실해', '확실합니까', '다른 방법', '더 어려운', '가정', '자세히', '다시 확인', '검증해', '이해가 안', '모르겠'],
  },
  es: {
    cot: ['paso a paso', 'muestra tu razonamiento', 'muestre su razonamiento', 'explica tu razonamiento', 'explique su razonamiento', 'muestra tu trabajo', 'muestra todos los pasos', 'muestra cada paso', 'explica cada paso', 'proceso de pensamiento', 'cadena de pensamiento', 'razona con cuidado', 'piensa detenidamente', 'piensa con cuidado', 'razonamiento detallado', 'antes de responder', 'muestra el procedimiento', 'desarrollo completo', 'pasos intermedios'],
    rubric: ['califica la respuesta', 'califique la respuesta', 'evalúa la respuesta', 'evalúe la respuesta', 'puntúa la respuesta', 'qué respuesta es mejor', 'cuál respuesta es mejor', 'cuál de las respuestas es mejor', 'criterios de evaluación', 'rúbrica', 'juez imparcial'],
    scoreAsk: ['escala del # al #', 'escala de # a #', 'del # al #', 'puntuación de # a #', 'una puntuación', 'una calificación'],
    responseTerms: ['respuesta', 'respuestas'],
    givenAnswer: ['la respuesta correcta es', 'la respuesta es', 'la solución es', 'respuesta correcta'],
    explainAsk: ['explica por qué', 'explique por qué', 'justifica', 'justifique', 'el razonamiento detrás', 'cómo se llega', 'cómo llegar'],
    rewriteAsk: ['reescribe', 'reescriba', 'reformula', 'reformule', 'parafrasea', 'reescribir', 'reformular'],
    safetyTerms: ['segura', 'seguro', 'inofensiva', 'inofensivo', 'dañino', 'dañina', 'políticas', 'política', 'apropiada', 'apropiado', 'sensible', 'peligroso', 'peligrosa'],
    probe: ['por qué', 'estás seguro', 'está seguro', 'otra forma', 'otra manera', 'otro método', 'método diferente', 'más difícil', 'supuestos', 'suposiciones', 'qué pasaría si', 'más detalle', 'verifica', 'comprueba', 'no entiendo', 'justifica'],
  },
  fr: {
    cot: ['étape par étape', 'pas à pas', 'montre ton raisonnement', 'montrez votre raisonnement', 'explique ton raisonnement', 'expliquez votre raisonnement', 'détaille chaque étape', 'détaillez chaque étape', 'processus de réflexion', 'chaîne de pensée', 'réfléchis bien', 'réfléchissez bien', 'raisonnement détaillé', 'avant de répondre', 'montre ton travail', 'montrez votre travail', 'étapes intermédiaires'],
    rubric: ['évalue la réponse', 'évaluez la réponse', 'note la réponse', 'notez la réponse', 'quelle réponse est meilleure', 'quelle réponse est la meilleure', "critères d'évaluation", "grille d'évaluation", 'barème', 'juge impartial'],
    scoreAsk: ['échelle de # à #', 'de # à #', 'une note', 'sur #'],
    responseTerms: ['réponse', 'réponses'],
    givenAnswer: ['la bonne réponse est', 'la réponse est', 'la solution est', 'bonne réponse'],
    explainAsk: ['explique pourquoi', 'expliquez pourquoi', 'justifie', 'justifiez', 'le raisonnement derrière', 'comment arriver'],
    rewriteAsk: ['réécris', 'réécrivez', 'reformule', 'reformulez', 'paraphrase', 'réécrire', 'reformuler'],
    safetyTerms: ['sûre', 'sûr', 'sans danger', 'inoffensive', 'inoffensif', 'nuisible', 'dangereux', 'dangereuse', 'politique', 'appropriée', 'approprié', 'sensible'],
    probe: ['pourquoi', 'es tu sûr', 'êtes vous sûr', 'autre méthode', 'autre façon', 'autre manière', 'plus difficile', 'hypothèses', 'que se passerait il', 'plus de détails', 'vérifie', 'vérifiez', 'je ne comprends pas', 'justifie'],
  },
  de: {
    cot: ['schritt für schritt', 'schrittweise', 'zeige deinen lösungsweg', 'zeig deinen lösungsweg', 'zeige deinen rechenweg', 'zeig deinen rechenweg', 'zeigen sie ihren rechenweg', 'zeigen sie ihren lösungsweg', 'mit rechenweg', 'mit lösungsweg', 'erkläre deine überlegungen', 'erklären sie ihre überlegungen', 'erkläre deinen gedankengang', 'denk sorgfältig nach', 'denke sorgfältig nach', 'gedankengang', 'denkprozess', 'gedankenkette', 'begründe jeden schritt', 'bevor du antwortest', 'zwischenschritte'],
    rubric: ['bewerte die antwort', 'bewerten sie die antwort', 'welche antwort ist besser', 'bewertungskriterien', 'bewertungsschema', 'unparteiischer richter'],
    scoreAsk: ['skala von # bis #', 'von # bis #', 'punktzahl', 'eine note'],
    responseTerms: ['antwort', 'antworten'],
    givenAnswer: ['die richtige antwort ist', 'die antwort ist', 'die lösung ist', 'richtige antwort'],
    explainAsk: ['erkläre warum', 'erklären sie warum', 'begründe', 'begründen sie', 'wie man darauf kommt'],
    rewriteAsk: ['umschreiben', 'umformulieren', 'formuliere um', 'schreibe * um', 'schreibe * * um', 'schreibe * * * um', 'schreib * um', 'schreib * * um', 'formuliere * um', 'formuliere * * um', 'formuliere * * * um'],
    safetyTerms: ['sicher', 'sichere', 'sicheren', 'harmlos', 'harmlose', 'unbedenklich', 'schädlich', 'schädliche', 'richtlinien', 'angemessen', 'gefährlich'],
    probe: ['warum', 'wieso', 'bist du sicher', 'sind sie sicher', 'andere methode', 'anderen weg', 'andere weise', 'schwierigere', 'schwerere', 'annahmen', 'was wäre wenn', 'genauer', 'überprüfe', 'prüfe nochmal', 'verstehe ich nicht', 'verstehe nicht', 'begründe'],
  },
  pt: {
    cot: ['passo a passo', 'mostre seu raciocínio', 'mostre o seu raciocínio', 'explique seu raciocínio', 'explique o seu raciocínio', 'mostre seu trabalho', 'mostre todos os passos', 'mostre cada passo', 'processo de pensamento', 'cadeia de pensamento', 'pense com cuidado', 'raciocínio detalhado', 'antes de responder', 'cada etapa', 'passos intermediários'],
    rubric: ['avalie a resposta', 'dê uma nota', 'atribua uma nota', 'qual resposta é melhor', 'qual das respostas é melhor', 'critérios de avaliação', 'juiz imparcial'],
    scoreAsk: ['escala de # a #', 'de # a #', 'uma nota', 'uma pontuação'],
    responseTerms: ['resposta', 'respostas'],
    givenAnswer: ['a resposta correta é', 'a resposta é', 'a solução é', 'resposta correta'],
    explainAsk: ['explique por que', 'explique porque', 'justifique', 'o raciocínio por trás', 'como chegar'],
    rewriteAsk: ['reescreva', 'reformule', 'parafraseie', 'reescrever', 'reformular'],
    safetyTerms: ['segura', 'seguro', 'inofensiva', 'inofensivo', 'prejudicial', 'políticas', 'política', 'apropriada', 'apropriado', 'sensível', 'perigoso', 'perigosa'],
    probe: ['por que', 'porquê', 'tem certeza', 'outra forma', 'outro método', 'outra maneira', 'mais difícil', 'suposições', 'pressupostos', 'o que aconteceria se', 'mais detalhes', 'verifique', 'não entendi', 'não entendo', 'justifique'],
  },
  ru: {
    cot: ['шаг за шагом', 'пошагово', 'поэтапно', 'покажи ход решения', 'покажите ход решения', 'ход решения', 'ход рассуждений', 'ход рассуждения', 'ход мыслей', 'объясни своё рассуждение', 'объясни свои рассуждения', 'объясните свои рассуждения', 'объясните ваше рассуждение', 'покажи своё решение', 'цепочка рассуждений', 'подумай внимательно', 'подумайте внимательно', 'процесс мышления', 'подробное решение', 'прежде чем ответить', 'перед ответом', 'промежуточные шаги'],
    rubric: ['оцени ответ', 'оцените ответ', 'какой ответ лучше', 'критерии оценки', 'поставь оценку', 'поставьте оценку', 'выставь балл', 'беспристрастный судья'],
    scoreAsk: ['по шкале от # до #', 'от # до #', 'баллов', 'балл'],
    responseTerms: ['ответ', 'ответа', 'ответы', 'ответов'],
    givenAnswer: ['правильный ответ', 'верный ответ', 'ответ равен', 'ответ:'],
    explainAsk: ['объясни почему', 'объясните почему', 'обоснуй', 'обоснуйте', 'как получить'],
    rewriteAsk: ['перепиши', 'перепишите', 'перефразируй', 'перефразируйте', 'переформулируй', 'переформулируйте'],
    safetyTerms: ['безопасный', 'безопасным', 'безопасной', 'безопасную', 'безопасно', 'безвредный', 'безвредным', 'безвредной', 'вредный', 'вредным', 'вредные', 'недопустимый', 'политике', 'политики', 'правилам', 'опасный', 'опасным'],
    probe: ['почему', 'ты уверен', 'вы уверены', 'другим способом', 'другой способ', 'другой метод', 'сложнее', 'более сложную', 'допущения', 'предположения', 'что если', 'подробнее', 'проверь', 'проверьте', 'не понимаю', 'не понял', 'обоснуй'],
  },
  ar: {
    cot: ['خطوة بخطوة', 'اشرح تفكيرك', 'اشرح منطقك', 'اشرح استدلالك', 'وضح خطوات', 'أظهر خطوات', 'اعرض خطوات', 'اعرض طريقة الحل', 'عملية التفكير', 'سلسلة التفكير', 'فكر بعناية', 'قبل الإجابة', 'الخطوات الوسيطة'],
    rubric: ['قيم الإجابة', 'قيّم الإجابة', 'أي إجابة أفضل', 'أي الإجابتين أفضل', 'معايير التقييم', 'أعط درجة', 'حكم محايد'],
    scoreAsk: ['مقياس من # إلى #', 'من # إلى #', 'درجة من'],
    responseTerms: ['الإجابة', 'إجابة', 'الجواب', 'الرد'],
    givenAnswer: ['الإجابة الصحيحة هي', 'الجواب الصحيح', 'الحل هو'],
    explainAsk: ['اشرح لماذا', 'برر', 'علل', 'وضح السبب'],
    rewriteAsk: ['أعد صياغة', 'اعد صياغة', 'أعد كتابة', 'اعد كتابة'],
    safetyTerms: ['آمن', 'آمنة', 'غير ضار', 'ضار', 'ضارة', 'السياسات', 'مناسب', 'مناسبة', 'خطير'],
    probe: ['لماذا', 'هل أنت متأكد', 'طريقة أخرى', 'أصعب', 'الافتراضات', 'ماذا لو', 'بالتفصيل', 'تحقق', 'لا أفهم', 'برر'],
  },
  it: {
    cot: ['passo dopo passo', 'passo passo', 'passo per passo', 'mostra il tuo ragionamento', 'spiega il tuo ragionamento', 'mostri il suo ragionamento', 'spieghi il suo ragionamento', 'mostra i passaggi', 'mostra tutti i passaggi', 'processo di pensiero', 'catena di pensiero', 'pensa attentamente', 'ragiona con attenzione', 'prima di rispondere', 'passaggi intermedi'],
    rubric: ['valuta la risposta', 'valuti la risposta', 'quale risposta è migliore', 'quale delle risposte è migliore', 'criteri di valutazione', 'assegna un punteggio', 'dai un voto', 'giudice imparziale'],
    scoreAsk: ['scala da # a #', 'da # a #', 'un punteggio', 'un voto'],
    responseTerms: ['risposta', 'risposte'],
    givenAnswer: ['la risposta corretta è', 'la risposta è', 'la soluzione è', 'risposta corretta'],
    explainAsk: ['spiega perché', 'spieghi perché', 'giustifica', 'motiva la', 'come si arriva'],
    rewriteAsk: ['riscrivi', 'riscriva', 'riformula', 'riformuli', 'parafrasa'],
    safetyTerms: ['sicura', 'sicuro', 'innocua', 'innocuo', 'dannoso', 'dannosa', 'politiche', 'appropriata', 'appropriato', 'pericoloso', 'pericolosa'],
    // Not a bare `perché`: it also means "because".
    probe: ['come mai', 'ma perché', 'perché è così', 'sei sicuro', 'è sicuro', 'un altro metodo', 'in un altro modo', 'più difficile', 'ipotesi', 'presupposti', 'cosa succede se', 'più in dettaglio', 'ricontrolla', 'verifica', 'non capisco', 'non ho capito', 'giustifica'],
  },
  tr: {
    cot: ['adım adım', 'akıl yürütmeni göster', 'akıl yürütmenizi gösterin', 'akıl yürütmeni açıkla', 'akıl yürütmenizi açıklayın', 'çözüm adımlarını göster', 'tüm adımları göster', 'işlemleri göster', 'düşünce süreci', 'düşünce zinciri', 'dikkatlice düşün', 'cevaplamadan önce', 'yanıtlamadan önce', 'ara adımlar'],
    rubric: ['cevabı değerlendir', 'yanıtı değerlendir', 'cevabı puanla', 'yanıtı puanla', 'hangi cevap daha iyi', 'hangi yanıt daha iyi', 'değerlendirme kriterleri', 'puan ver', 'tarafsız bir hakem'],
    scoreAsk: ['# ile # arasında', '# ila #', '# üzerinden', 'bir puan'],
    responseTerms: ['cevap', 'cevabı', 'yanıt', 'yanıtı'],
    givenAnswer: ['doğru cevap', 'doğru yanıt', 'cevap şudur'],
    explainAsk: ['nedenini açıkla', 'nedenini açıklayın', 'neden olduğunu açıkla', 'gerekçelendir', 'gerekçesini açıkla'],
    rewriteAsk: ['yeniden yaz', 'yeniden yazın', 'tekrar yaz', 'başka sözcüklerle', 'başka kelimelerle'],
    safetyTerms: ['güvenli', 'zararsız', 'zararlı', 'politika', 'politikalara', 'uygunsuz', 'tehlikeli'],
    probe: ['neden', 'niçin', 'niye', 'emin misin', 'emin misiniz', 'başka bir yöntem', 'başka bir yolla', 'başka bir yoldan', 'daha zor', 'varsayımlar', 'ya eğer', 'daha ayrıntılı', 'tekrar kontrol et', 'doğrula', 'anlamadım', 'anlamıyorum'],
  },
  id: {
    cot: ['langkah demi langkah', 'langkah per langkah', 'tunjukkan penalaranmu', 'tunjukkan penalaran anda', 'jelaskan penalaranmu', 'jelaskan penalaran anda', 'tunjukkan langkah-langkahnya', 'tunjukkan cara kerjanya', 'tunjukkan cara penyelesaiannya', 'proses berpikir', 'rantai pemikiran', 'pikirkan dengan cermat', 'pikirkan baik-baik', 'sebelum menjawab', 'langkah-langkah antara'],
    rubric: ['nilai jawaban', 'nilailah jawaban', 'evaluasi jawaban', 'jawaban mana yang lebih baik', 'kriteria penilaian', 'beri skor', 'berikan skor', 'berikan nilai', 'juri yang netral'],
    scoreAsk: ['skala # sampai #', 'skala # hingga #', 'dari # sampai #', 'dari # hingga #', 'sebuah skor'],
    responseTerms: ['jawaban', 'jawabannya', 'respons'],
    givenAnswer: ['jawaban yang benar adalah', 'jawabannya adalah', 'jawaban yang benar'],
    explainAsk: ['jelaskan mengapa', 'jelaskan kenapa', 'berikan alasan', 'berikan alasannya'],
    rewriteAsk: ['tulis ulang', 'tuliskan ulang', 'parafrasekan', 'susun ulang'],
    safetyTerms: ['aman', 'tidak berbahaya', 'berbahaya', 'kebijakan', 'tidak pantas'],
    probe: ['mengapa', 'kenapa', 'apakah kamu yakin', 'apakah anda yakin', 'kamu yakin', 'cara lain', 'metode lain', 'lebih sulit', 'asumsi', 'bagaimana jika', 'lebih rinci', 'lebih detail', 'periksa lagi', 'cek lagi', 'saya tidak mengerti', 'saya tidak paham'],
  },
  vi: {
    cot: ['từng bước', 'từng bước một', 'trình bày lập luận', 'giải thích lập luận', 'giải thích cách suy luận', 'trình bày cách giải', 'trình bày lời giải', 'quá trình suy nghĩ', 'chuỗi suy luận', 'suy nghĩ cẩn thận', 'trước khi trả lời', 'các bước trung gian'],
    rubric: ['chấm điểm câu trả lời', 'đánh giá câu trả lời', 'câu trả lời nào tốt hơn', 'tiêu chí đánh giá', 'cho điểm', 'giám khảo công tâm'],
    scoreAsk: ['thang điểm từ # đến #', 'từ # đến #', 'thang # điểm', 'một điểm số'],
    responseTerms: ['câu trả lời', 'phản hồi'],
    givenAnswer: ['đáp án đúng là', 'đáp án là', 'câu trả lời đúng là'],
    explainAsk: ['giải thích tại sao', 'giải thích vì sao', 'nêu lý do', 'chứng minh'],
    rewriteAsk: ['viết lại', 'diễn đạt lại', 'diễn giải lại'],
    safetyTerms: ['an toàn', 'vô hại', 'chính sách', 'không phù hợp', 'nguy hiểm'],
    // Accents are folded away, which merges many Vietnamese words: `giả định` (assumption) reads
    // as `gia đình` (family) and `có hại` (harmful) as `có hai` (there are two), so such
    // phrases are left out.
    probe: ['tại sao', 'vì sao', 'bạn có chắc', 'có chắc không', 'cách khác', 'phương pháp khác', 'khó hơn', 'chi tiết hơn', 'kiểm tra lại', 'tôi không hiểu', 'chưa hiểu'],
  },
  sw: {
    cot: ['hatua kwa hatua', 'onyesha hatua', 'onyesha hatua zote', 'eleza hoja yako', 'eleza mawazo yako', 'eleza jinsi ulivyofikiri', 'onyesha kazi yako', 'onyesha njia ya kutatua', 'mchakato wa kufikiri', 'fikiri kwa makini', 'fikiria kwa makini', 'kabla ya kujibu'],
    rubric: ['tathmini jibu', 'pima jibu', 'jibu lipi ni bora', 'jibu gani ni bora', 'vigezo vya tathmini', 'toa alama', 'mwamuzi asiye na upendeleo'],
    scoreAsk: ['kutoka # hadi #', 'kipimo cha # hadi #', 'alama #'],
    responseTerms: ['jibu', 'majibu'],
    givenAnswer: ['jibu sahihi ni', 'jibu ni'],
    explainAsk: ['eleza kwa nini', 'toa sababu', 'thibitisha'],
    rewriteAsk: ['andika upya', 'iandike upya', 'liandike upya', 'andika kwa maneno mengine'],
    safetyTerms: ['salama', 'hatari', 'yenye madhara', 'madhara', 'sera', 'isiyofaa'],
    probe: ['kwa nini', 'una uhakika', 'mna uhakika', 'njia nyingine', 'mbinu nyingine', 'ngumu zaidi', 'dhana', 'kwa undani', 'kwa kina', 'hakiki', 'kagua tena', 'sielewi', 'sijaelewa'],
  },
  hi: {
    cot: ['चरण दर चरण', 'चरणबद्ध', 'कदम दर कदम', 'क़दम दर क़दम', 'अपना तर्क दिखाएँ', 'अपना तर्क दिखाएं', 'अपना तर्क समझाएँ', 'अपना तर्क समझाएं', 'अपनी सोच समझाइए', 'हल के चरण', 'सभी चरण दिखाएँ', 'सभी चरण दिखाएं', 'सोचने की प्रक्रिया', 'विचार प्रक्रिया', 'ध्यान से सोचें', 'उत्तर देने से पहले'],
    rubric: ['उत्तर का मूल्यांकन करें', 'उत्तर का मूल्यांकन कीजिए', 'कौन सा उत्तर बेहतर है', 'कौन-सा उत्तर बेहतर है', 'मूल्यांकन मानदंड', 'अंक दें', 'अंक दीजिए', 'निष्पक्ष न्यायाधीश'],
    scoreAsk: ['# से # के पैमाने पर', '# से # तक', '# में से'],
    responseTerms: ['उत्तर', 'जवाब'],
    givenAnswer: ['सही उत्तर है', 'सही जवाब है', 'उत्तर है'],
    explainAsk: ['समझाइए क्यों', 'समझाएँ क्यों', 'समझाएं क्यों', 'कारण बताइए', 'कारण बताएं', 'औचित्य बताइए'],
    rewriteAsk: ['फिर से लिखें', 'फिर से लिखिए', 'दोबारा लिखें', 'पुनः लिखें', 'दूसरे शब्दों में लिखें'],
    safetyTerms: ['सुरक्षित', 'हानिरहित', 'हानिकारक', 'नीति', 'नीतियों', 'अनुचित', 'खतरनाक'],
    probe: ['क्यों', 'क्या आप निश्चित हैं', 'क्या आपको यकीन है', 'दूसरा तरीका', 'दूसरे तरीके', 'कोई और तरीका', 'और कठिन', 'ज़्यादा कठिन', 'मान्यताएँ', 'धारणाएँ', 'अगर ऐसा हो तो', 'विस्तार से', 'फिर से जाँचें', 'दोबारा जाँचें', 'समझ नहीं आया', 'मुझे समझ नहीं'],
  },
  bn: {
    cot: ['ধাপে ধাপে', 'ধাপগুলো দেখাও', 'ধাপগুলো দেখান', 'তোমার যুক্তি ব্যাখ্যা কর', 'আপনার যুক্তি ব্যাখ্যা করুন', 'যুক্তি দেখাও', 'সমাধানের ধাপ', 'চিন্তার প্রক্রিয়া', 'চিন্তাভাবনার প্রক্রিয়া', 'ভালো করে ভাবো', 'ভালোভাবে ভেবে', 'উত্তর দেওয়ার আগে'],
    rubric: ['উত্তরটি মূল্যায়ন কর', 'উত্তরটি মূল্যায়ন করুন', 'উত্তরের মূল্যায়ন', 'কোন উত্তরটি ভালো', 'কোন উত্তরটি ভাল', 'মূল্যায়নের মানদণ্ড', 'নম্বর দাও', 'নম্বর দিন'],
    scoreAsk: ['# থেকে # এর স্কেলে', '# থেকে # পর্যন্ত'],
    responseTerms: ['উত্তর', 'উত্তরটি', 'জবাব'],
    givenAnswer: ['সঠিক উত্তর হল', 'সঠিক উত্তর হলো', 'উত্তর হল', 'উত্তর হলো'],
    explainAsk: ['কেন তা ব্যাখ্যা কর', 'কেন তা ব্যাখ্যা করুন', 'কারণ ব্যাখ্যা কর', 'কারণ ব্যাখ্যা করুন', 'যুক্তি দাও'],
    rewriteAsk: ['আবার লেখ', 'আবার লিখুন', 'পুনরায় লিখুন', 'নতুন করে লেখ', 'অন্যভাবে লেখ'],
    safetyTerms: ['নিরাপদ', 'ক্ষতিকর', 'ক্ষতিকারক', 'ক্ষতিহীন', 'নীতি', 'অনুপযুক্ত', 'বিপজ্জনক'],
    probe: ['কেন', 'তুমি কি নিশ্চিত', 'আপনি কি নিশ্চিত', 'অন্য পদ্ধতি', 'অন্যভাবে', 'অন্য উপায়', 'আরও কঠিন', 'অনুমানগুলো', 'ধরে নেওয়া', 'বিস্তারিত', 'আবার যাচাই', 'যাচাই কর', 'বুঝতে পারছি না', 'বুঝিনি'],
  },
  te: {
    cot: ['దశల వారీగా', 'దశలవారీగా', 'అంచెలంచెలుగా', 'మీ తర్కాన్ని వివరించండి', 'మీ ఆలోచనను వివరించండి', 'మీ తర్కాన్ని చూపించండి', 'సాధన దశలు', 'ప్రతి దశను చూపించండి', 'ఆలోచనా విధానం', 'ఆలోచనా ప్రక్రియ', 'జాగ్రత్తగా ఆలోచించండి', 'సమాధానం ఇచ్చే ముందు'],
    rubric: ['సమాధానాన్ని మూల్యాంకనం చేయండి', 'సమాధానాన్ని అంచనా వేయండి', 'ఏ సమాధానం మంచిది', 'ఏ సమాధానం మెరుగైనది', 'మూల్యాంకన ప్రమాణాలు', 'మార్కులు ఇవ్వండి', 'స్కోరు ఇవ్వండి'],
    scoreAsk: ['# నుండి # వరకు', '# నుండి # స్కేల్'],
    responseTerms: ['సమాధానం', 'సమాధానాన్ని', 'జవాబు'],
    givenAnswer: ['సరైన సమాధానం', 'సమాధానం ఇది'],
    explainAsk: ['ఎందుకో వివరించండి', 'కారణం వివరించండి', 'కారణం చెప్పండి', 'సమర్థించండి'],
    rewriteAsk: ['తిరిగి రాయండి', 'మళ్ళీ రాయండి', 'మళ్లీ రాయండి', 'వేరే మాటల్లో రాయండి'],
    safetyTerms: ['సురక్షితం', 'సురక్షితమైన', 'హానికరమైన', 'హానికరం', 'హాని లేని', 'విధానం', 'అనుచితమైన', 'ప్రమాదకరమైన'],
    probe: ['ఎందుకు', 'మీకు ఖచ్చితంగా తెలుసా', 'ఖచ్చితంగానా', 'మరో పద్ధతి', 'వేరే పద్ధతి', 'మరో విధంగా', 'మరింత కష్టమైన', 'ఊహలు', 'వివరంగా', 'మళ్ళీ తనిఖీ', 'తనిఖీ చేయండి', 'అర్థం కాలేదు'],
  },
  th: {
    cot: ['ทีละขั้นตอน', 'ทีละขั้น', 'เป็นขั้นตอน', 'แสดงวิธีคิด', 'แสดงวิธีทำ', 'แสดงขั้นตอน', 'อธิบายวิธีคิด', 'กระบวนการคิด', 'ลำดับความคิด', 'คิดอย่างรอบคอบ', 'ก่อนตอบ'],
    rubric: ['ให้คะแนนคำตอบ', 'ประเมินคำตอบ', 'คำตอบไหนดีกว่า', 'คำตอบใดดีกว่า', 'เกณฑ์การประเมิน', 'เกณฑ์การให้คะแนน'],
    scoreAsk: ['# ถึง #', 'เต็ม #', 'จาก # คะแนน'],
    responseTerms: ['คำตอบ'],
    givenAnswer: ['คำตอบที่ถูกต้องคือ', 'คำตอบคือ', 'เฉลยคือ'],
    explainAsk: ['อธิบายว่าทำไม', 'ให้เหตุผล', 'อธิบายเหตุผล'],
    rewriteAsk: ['เขียนใหม่', 'เรียบเรียงใหม่', 'ถอดความ'],
    safetyTerms: ['ปลอดภัย', 'ไม่เป็นอันตราย', 'อันตราย', 'นโยบาย', 'ไม่เหมาะสม'],
    probe: ['ทำไม', 'แน่ใจไหม', 'แน่ใจหรือ', 'วิธีอื่น', 'ยากขึ้น', 'ยากกว่า', 'ข้อสมมติ', 'สมมติฐาน', 'อย่างละเอียด', 'ตรวจสอบอีกครั้ง', 'ไม่เข้าใจ'],
  },
};

/**
 * Function words that only one of the Latin-script languages uses often, for telling them apart
 * (the language code of a prompt). Accents are dropped by normalisation, so `não` is `nao`.
 */
export const LATIN_FUNCTION_WORDS: Readonly<Record<string, readonly string[]>> = {
  en: ['the', 'and', 'is', 'are', 'what', 'how', 'you', 'with', 'this', 'that', 'of', 'to', 'it', 'be', 'can'],
  es: ['el', 'los', 'las', 'del', 'por', 'es', 'pero', 'muy', 'esta', 'este', 'puedes', 'cual', 'y', 'tu', 'hay'],
  fr: ['le', 'les', 'des', 'est', 'et', 'pour', 'dans', 'vous', 'pas', 'qui', 'sur', 'avec', 'je', 'ce', 'une'],
  de: ['der', 'die', 'das', 'und', 'ist', 'nicht', 'ein', 'eine', 'mit', 'ich', 'sie', 'fur', 'wie', 'auf', 'zu'],
  pt: ['o', 'os', 'nao', 'com', 'voce', 'do', 'da', 'dos', 'em', 'mais', 'isso', 'sao', 'seu', 'sua', 'ao'],
  it: ['il', 'di', 'che', 'gli', 'della', 'sono', 'non', 'questo', 'come', 'nel', 'anche', 'perche', 'puoi', 'alla', 'degli'],
};
