/**
 * Word lists for the PERSON detector. They are general Taiwanese/English naming data, not
 * tuned to any labelled record: common surnames, characters common in given names, words that
 * start with a surname character but are not names, and English/Southeast-Asian given names.
 */

function chars(list: string): Set<string> {
  return new Set(Array.from(list.replace(/\s+/g, '')));
}

function words(list: string): Set<string> {
  return new Set(list.split(/\s+/).filter((word) => word.length > 0));
}

/**
 * Common single-character surnames in Taiwan (roughly the top 150 by population), leaving out
 * characters that are far more often ordinary words (文, 時, 全, 向, 常, 利, 華, 萬 …).
 */
export const SINGLE_SURNAMES = chars(`
  陳林黃張李王吳劉蔡楊許鄭謝洪郭邱曾廖賴徐周葉蘇莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范方宋鄧杜傅侯曹薛丁卓阮馬董温溫唐藍石蔣古紀姚連馮歐程湯田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳凃邵錢伍倪于譚駱熊秦顧章俞雷粘饒闕凌崔尹孔辛辜陶段韋池葛褚孟麥殷莫賀賈裴樊聶耿岳喬鄞塗滕練謝呂龐
`);

/** Compound surnames, classic and Taiwanese double surnames. */
export const COMPOUND_SURNAMES = words(`
  歐陽 張簡 范姜 張廖 周黃 司馬 諸葛 上官 司徒 東方 皇甫 公孫 令狐 夏侯 尉遲 慕容 長孫 端木 軒轅 西門 南宮 呼延 宇文 鍾離 澹台 萬俟 左丘 第五 徐辜 江謝 陳李 劉張 李林 黃陳
`);

/** Characters common in Taiwanese given names (both sexes). */
export const GIVEN_NAME_CHARS = chars(`
  偉倫豪強明志建宏俊傑家冠宇承恩柏翰宗信正雄國華文彬子軒育誠哲瑋智仁勇德昌輝峰嘉成忠孝義榮祥福龍鴻鵬飛威立廷庭彥凱翔瑞睿澤浩博維銘鈞弘毅安平民興達順元中東晉耀賢聖群斌濤勳杰霖銓欽鑫彰佑祐書宸緯聰慶振生山松清泰裕勝政堯均定源洋光亮昇駿翊崇朝燦燁煒璋琦禹典啟奕仲力武新賓彪坤堂宏鈺皓韋瀚霆崴鎧睿竣鋒奇鑫廣喬崑益盛沅皓琮暐彧楷鼎桓程諺謙懷駒瑄
  宜蓁雅雯婉婷佳蓉美玲筱涵郁品妤麗秀英欣怡淑芬惠如詩佩珊君芳靜慧娟萍琪瑩瑜珍珠鳳雲霞燕蘭梅菊蓮紅秋月雪晴心馨妍婕琳瑤璇萱潔儀穎薇蕙亭貞容真青琴慈虹巧茹姿姍媛嬌綺盈榆沛采曉凡亞伶苓菁筠芷若語羽晨彤柔禎禛翠春香玉蘋蘭嫻雁蓓蕾瑾瑋媚寧湘甄綾嬿妘妮娜婧嫣悅舒歆怡恬瑀璦霓黛
  小曉筱之乃以允弈柔琇瑛琬婕芊芯蕎霏靖瑞暄宥妡沂恆洵睿翰奕竑祺淳澄玟旻昀彣紘鈞鉅鋐
  惠玉美麗淑秀月金春蓮鳳珠英桂素芳貴錦碧雅靜宜思家佳子宗俊志文信仁德昌明啟士紹隆永長大小天世光耀祖耕勤儒銘芸韻卉蔚蓉漪瀅
  昱宥秉辰晏岑珮筑翎禾甯諭緹璟頤宣萱蕾琦婷瑤綸煜晟睿昕晞暘湧澔濬宏騏驊竹茵楨樺柔渝潼瑋玓珣琁瑢璿萓
`);

/**
 * Words that begin with a surname character but are ordinary words. A candidate whose first
 * two characters form one of them is not a name unless a title or a name slot says otherwise.
 */
export const SURNAME_STOP_WORDS = words(`
  王國 王牌 王者 王子 王朝 王道 高興 高雄 高級 高度 高速 高鐵 高中 高手 高層 高峰 高達 高價 高溫 高山 高效 高品 高明 高見 高昂
  林業 林木 林口 林園 陳列 陳述 陳舊 陳情 黃金 黃色 黃昏 黃牛 黃道 李子 張貼 張開 張力 張望 方法 方面 方式 方案 方便 方向 方針 方才 方言 方正 方形
  周末 周一 周二 周三 周四 周五 周六 周日 周年 周邊 周圍 周遭 周期 周轉 周全 周知 周到 周延 許多 許可 許久 曾經 簡單 簡報 簡訊 簡介 簡直 簡易 簡化 簡稱 簡明
  石頭 石油 白色 白天 白話 洪水 游泳 游戲 馬上 馬路 馬達 楊柳 錢包 孫子 胡說 胡亂 何必 何時 何處 何況 何謂 施工 施行 施打 施政 謝謝 謝意 葉子 葉片 鄭重 江湖 江山
  沈默 沈重 戴上 夏天 夏季 汪洋 田野 田地 金額 金融 金錢 金屬 金牌 金門 余額 連續 連絡 連結 連線 連同 連忙 程式 程序 程度 溫度 溫暖 溫柔 溫和 康復 唐朝 宋朝 杜絕
  羅馬 莊園 董事 古代 古典 古董 古老 紀錄 紀念 紀律 丁香 侯爵 蘇打 蘇澳 羅東 楊梅 顧客 顧問 顧及 顧慮 章節 韓國 孔子 孟子 雷達 凌晨 嚴重 嚴格 嚴禁 尤其 毛巾 陸續 陸地
  秦朝 熊貓 童年 童話 夏令 于是 賀卡 段落 池塘 魏晉 宋體 黎明 盧布 鐘頭 鐘點 鍾愛 伍佰 卓越 莫非 莫名 歐洲 歐元 歐美 范圍 喬遷 麥克 殷切 武器 甘心 華人 官方
`);

/** Words ending in a surname character: after them the character is not a surname (乙方, 任何). */
export const PRECEDING_WORDS = words(`
  甲方 乙方 丙方 雙方 對方 地方 官方 警方 院方 校方 資方 勞方 買方 賣方 男方 女方 我方 貴方 各方 前方 後方 上方 下方 遠方 西方 南方 北方 處方 配方 大方 比方 藥方 多方 軍方 檢方
  任何 如何 為何 幾何 有何 不曾 未曾 何曾 也曾 似曾 一周 每周 上周 下周 本周 四周 圓周 出馬 人馬 兵馬 斑馬 木馬 戰馬 黑馬 白馬 寶馬
  淘金 現金 資金 基金 租金 獎金 押金 年金 定金 訂金 合金 五金 千金 美金 佣金 薪金 黃金
  提高 最高 更高 太高 很高 較高 增高 升高 身高 拉高 調高 偏高 過高 登高 鑽石 寶石 岩石 化石 結石 隕石 油田 稻田 農田 良田 梯田
  樹林 森林 園林 山林 竹林 叢林 少林 武林 雨林
`);

/** Titles and honorifics that follow a name (they are not part of the span). */
export const TITLE_WORDS = words(`
  先生 小姐 女士 太太 夫人 經理 副理 協理 襄理 課長 專員 主任 組長 處長 科長 部長 局長 院長 校長 董事長 董事 總經理 執行長 副總 總監 特助 助理 秘書 老師 教授 醫師 醫生 護理師 律師 會計師 工程師 博士 同學 同仁 主管 店長 代表 委員 議員 市長 立委 法官 大哥 大姐 阿姨 學長 學姐 總裁 副總經理 顧問 社長 會長 理事長 執秘 技師 設計師 業務 窗口
`);

/**
 * Words that commonly follow a name in Chinese text. A candidate name must be followed by one
 * of these, a title, punctuation, non-Chinese text or the end of the text.
 */
export const FOLLOWING_WORDS = words(`
  的 是 與 和 及 跟 或 在 於 說 表示 申請 負責 協助 立即 立刻 馬上 以 來電 反映 已 已經 將 要求 同意 提供 聯繫 聯絡 確認 報告 提出 為 擔任 您好 你好 收 寄 等 等人 也 都 會 今天 明天 昨天 本人 目前 先 再 請 向 對 把 被 讓 給 從 到 至 所 手機 電話 身分證 身份證 居留證 帳號 信箱 住 承辦 核准 簽核 簽名 簽署 簽約 處理 回覆 回報 出席 缺席 請假 離職 到職 報到 主持 說明 指出 認為 發現 通知 轉達 交付 繳交 購買 付款 刷卡 來信 留言 詢問 希望 需要 想 要 可 應 不 沒 很 有 個 各 們 負 接 代 經 去 來 還 就 又 已於 於 今 昨 自 同 並 即 因 由 若 如 但 卻 才 才能
  開 說 提 問 打 寫 做 看 找 下 上 帶 拿 送 交 買 用 約 參加 出差 開會 致電 回電 準備 討論 分享 發表 主講 接手 提到 強調 透過 本週 下週 上週 下午 上午 晚上 早上 剛剛 剛才 昨晚 告訴 通過 收到 寄出 負責人
`);

/** Words before a name slot: they raise confidence (and let a stop-list word through). */
export const NAME_SLOT_WORDS = [
  '我是', '我叫', '姓名', '名字', '聯絡人', '申請人', '代表人', '負責人', '承辦人', '經辦人', '收件人', '寄件人', '客戶', '員工', '出席', '窗口', '業務', '會計部', '人資', '處理人員', '緊急聯絡人', '乙方', '甲方', '學生', '病患', '病人', '姓', '請洽', '洽', '簽收人', '受款人', '戶名', '持卡人', '被保險人', '要保人', '委託人', '見證人', '介紹人', '主管', '同事', '經理', '專員', '親愛的', '致', 'to', 'attn',
  // Role words in legal, HR, insurance and finance documents.
  '出租人', '承租人', '原告', '被告', '借款人', '貸與人', '立書人', '債務人', '債權人', '保證人', '連帶保證人', '買受人', '出賣人', '受僱人', '僱用人', '申訴人', '當事人', '法定代理人', '代理人', '上訴人', '被上訴人', '聲請人', '相對人', '告訴人', '證人', '房東', '房客', '收款人', '付款人', '匯款人', '領款人', '受益人', '新進員工', '請款人', '承辦', '收件者', '寄件者', '負責業務', '業務員', '病歷號', '患者', '住院病人', '家屬', '監護人', '聯繫人', '對口', '主辦', '經手人', '核准人', '申請者', '借用人', '租客', '屋主', '賣方', '買方', '債權人代表',
] as const;

/** English, Taiwanese-English and Southeast-Asian given names (as written in English text). */
export const ENGLISH_GIVEN_NAMES = words(`
  James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Mark Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Harry Howard Martin Leo Oscar Oliver Lucas Liam Owen Luke Isaac Caleb Hunter Ian Evan Colin Derek Shawn Tony Allen Victor Vince Marcus Simon Max Alex Sam Tom Tim Ben Ken Dan Dave Mike Steve Chris Nick Matt Andy Jim Bill Bob Ted Ray Leon Felix Hugo Ivan Jimmy Johnny Danny Tommy Sammy Rick Ricky Allan Kelvin Calvin Alvin Edwin Edison Wesley Dean Neil Glen Glenn Stanley Vernon Warren Wilson Nelson Jeff Jay Jackie Gordon Frankie Benson Hank Sunny Tiger
  Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn Judith Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara Janice Jean Alice Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla Ava Mia Chloe Ella Lily Zoe Tiffany Vivian Wendy Cindy Irene Iris Ivy Joanna Joy Judy Kate Katie Lucy Nina Peggy Sabrina Sally Sophie Stella Tina Vicky Winnie Yvonne Zoey Angel Annie Bella Candy Cathy Claire Coco Connie Daisy Eva Fiona Flora Gina Jane Jenny Jill Kay Kitty Lillian Lydia Mandy Maggie Monica Queenie Rita Ruby Sandy Selina Shelly Sherry Sylvia Tracy Una Vanessa Vera Wanda Yuki Elaine Esther Eunice Fanny Gillian Hazel Janet Jasmine Josephine Leah Lena Mabel Miranda Molly Naomi Olive Phoebe Polly Rosa Tammy Teresa Ursula Violet Carmen Cecilia Celine Charlene Alison Allison Audrey Belinda Bonnie Caroline Crystal Debbie Doreen Eileen Ellen Emma Erica Erin Gwen Holly Ingrid Jessie Karen Kristen Leslie Lorraine Lucia Mavis Melody Mona Nora Pauline Rachael Regina Renee Roxanne Susie Tanya Valerie
  Somchai Somsak Somying Siti Nur Nurul Muhammad Ahmad Agus Budi Dewi Putri Sri Wahyu Rizky Fitri Joko Eko Bambang Hendra Indah Ayu Rina Maria Jose Juan Mark Jun Jonel Rodel Noel Arnel Rowena Marites Cristina Maricel Lorna Nenita Teresita Araceli Jocelyn Lovely Precious Princess Mylene Arjun Rahul Priya Ananya Wei Ming Yuki Hiroshi Kenji Takeshi Akira Haruto Sakura Yumi Minh Anh Linh Thanh Thu Huong Lan Mai Hoa Hung Tuan Dung Nam Long Quang Sompong Suda Malee Kanya Nattapong Anong
`);

/** Surnames that open a full name (Vietnamese order, romanised Chinese order). */
export const NAME_FIRST_SURNAMES = words(`
  Nguyen Tran Le Pham Hoang Huynh Phan Vu Vo Dang Bui Do Ho Ngo Duong Ly Truong Dinh
  Chen Lin Huang Chang Lee Li Wang Wu Liu Tsai Yang Hsu Cheng Hsieh Hung Kuo Chiu Tseng Liao Lai Hsu Chou Yeh Su Chuang Lu Chiang Ho Hsiao Lo Kao Pan Chien Chu Chung Yu Peng Chan Hu Shih Shen Chao Yen Ko Weng Wei Sun Tai Fan Fang Sung Teng Tu Fu Hou Tsao Hsueh Ting Cho Juan Ma Tung Wen Tang Lan Shi Chiang Ku Chi Yao Lien Feng Ou Kang Chiang
`);

/** Name particles allowed inside a full name (Joy Dela Cruz, Nguyen Van Hung, Ahmad bin Ali). */
export const NAME_PARTICLES = words(`Van Van' Thi Dela De Del Da Di Dos Das Du La Le Von Der Den Bin Binti bin binti van de del da dela von`);

/** Capitalised words that are not surnames even right after a given name. */
export const NOT_SURNAMES = words(`
  Street St Road Rd Avenue Ave Boulevard Blvd Lane Ln Drive Dr Bank City County District Dist Inc Ltd Corp Co Company Group University College School Hospital Hotel Center Centre Team Support Service Services Agreement Please Thanks Thank Regards Best Hi Dear Hello The This That And Or From To Subject Tel Phone Email Mobile Fax Taiwan Taipei Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August September October November December Day Morning Night Project Plan Office Department Dept Store Shop Park Square Tower Building Plaza Mall Station Airport Airlines Air Cloud Data Systems System Tech Technology Technologies Labs Lab Studio Studios Foundation Association Institute Council Ministry Government Express Mail News Times Post Cup Award Prize Card Account Pay Online Mobile App Pro Plus Max Mini Edition Version Update Release Notes I We You He She It They Is Are Was Were Will Would Can Could Should Has Have Had Do Does Did Not Yes No OK Ok
`);

/** Words after which a lone given name is a person ("Hi Emily", "Thanks, Jessica"). */
export const GREETING_WORDS = [
  'hi', 'hello', 'hey', 'dear', 'thanks', 'thank you', 'regards', 'best regards', 'kind regards', 'cheers', 'sincerely', 'best', 'yours', 'from', 'to', 'cc', 'attn', 'sent by', 'signed', 'mr.', 'ms.', 'mrs.', 'dr.', 'mr', 'ms', 'mrs', 'dr', 'name:', 'contact:', '窗口', '客戶', '聯絡人', '員工', '外籍員工', '申請人', 'with', 'by', 'and',
] as const;
