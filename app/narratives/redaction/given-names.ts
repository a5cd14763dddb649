// Common given names of the district's larger origin groups and of Germany, with a region and a gender, for two
// jobs: finding names that no rule announces ("Mariam geht in die sechste Klasse"), and picking a culturally
// comparable pseudonym (consent-and-privacy.md). Names that are also ordinary German words (Nur, Ernst, Mark)
// are left out on purpose: every occurrence of a listed name is proposed.
export type NameRegion = "arabic" | "persian" | "horn" | "turkish" | "slavic" | "german" | "balkan";
type Gender = "f" | "m";

const LIST: Record<NameRegion, Record<Gender, string>> = {
  arabic: {
    f: "Rasha Fatima Amina Layla Leila Zainab Nour Samira Hala Rania Reem Dima Lina Huda Maryam Mariam Yasmin Yasmina Salma Aya Hiba Rana Ghada Lama Nadia Noura Amal Aisha Asma Duaa Hanan Hana Jana Lujain Maya Mona Nisreen Rahaf Rawan Ruba Safa Sara Shaima Souad Wafa Zahra Zeinab",
    m: "Samer Karim Ahmad Ahmed Omar Yusuf Youssef Hassan Hussein Bilal Mohammed Muhammad Mohamed Mahmoud Khaled Khalid Ali Ibrahim Mustafa Hamza Tarek Tariq Walid Rami Sami Fadi Bashar Ammar Anas Ayman Firas Ghassan Hadi Haitham Hani Hisham Issa Jamal Jihad Kamal Majd Majed Malek Marwan Mazen Mohannad Nabil Nizar Omran Qusai Saad Salah Saleh Samir Tamer Wael Yazan Yahya Zaid Ziad Abdullah Abdel Adnan Amir Anwar Fares Fouad Hamid Imad Louay Maher Nasser Osama Raed Riad Saif",
  },
  persian: {
    f: "Fereshta Farida Fariba Parisa Shabnam Soraya Zohra Zahra Nargis Nilofar Mahnaz Maryam Mariam Roya Shirin Setareh Fatemeh Freshta Gulalai Hadia Homa Laila Mina Mozhgan Nazanin Parwana Sahar Sima Sudaba Tahmina Yalda Zarghona Zarmina",
    m: "Omid Jawad Ahmad Hamid Farid Mahmood Mohammad Reza Ali Hossein Mehdi Amir Arash Babak Bahram Dariush Ehsan Farhad Habib Hamed Javad Kamran Karim Khalil Majid Masoud Mansour Morteza Mustafa Nasir Navid Qasim Rahim Rahman Sajad Shafiq Sohrab Wahid Yama Zabihullah Zaki Zalmai Shir",
  },
  horn: {
    f: "Letay Selam Senait Saba Helen Mebrat Mihret Semhar Feven Ruta Yohana Rahel Tsega Abeba Hiwet Luwam Milen Aster Almaz Eden Winta Hodan Fadumo Faduma Hamdi Ifrah Khadra Sahra Sagal Ayan Asha Ubah",
    m: "Filmon Robel Yonas Tesfay Kiros Daniel Dawit Samuel Yohannes Teklay Mussie Merhawi Abel Amanuel Biniam Efrem Ermias Habtom Henok Isaias Mehari Meron Natnael Senay Tewelde Yemane Abdi Abdirahman Ahmed Hassan Liban Mahad Omar Said",
  },
  turkish: {
    f: "Ayşe Fatma Emine Elif Zeynep Merve Büşra Esra Hatice Derya Sibel Gül Gülsen Hülya Leyla Melike Özlem Songül Tuğba Yasemin Zehra Rojda Berfin Dilan Hevin Nujin",
    m: "Mehmet Mustafa Ahmet Hasan Hüseyin İbrahim Murat Emre Burak Kemal Serkan Tolga Yusuf Ömer Cem Deniz Ercan Kadir Metin Orhan Recep Selim Tarik Ugur Volkan Azad Baran Dilovan Rojhat Serhat Welat",
  },
  slavic: {
    f: "Olena Olga Tetiana Tatiana Iryna Irina Natalia Nataliia Svitlana Oksana Yulia Anastasia Kateryna Maryna Halyna Liudmyla Viktoria Daria Sofia Alina Polina Valentyna Larysa Marta Agnieszka Katarzyna Magdalena Joanna Ewa",
    m: "Dmytro Oleksandr Andrii Serhii Mykola Volodymyr Yurii Ivan Vasyl Taras Bohdan Maksym Artem Denys Vitalii Roman Pavlo Oleh Igor Sergei Alexei Marek Tomasz Piotr Krzysztof Pawel",
  },
  balkan: {
    f: "Ana Ioana Elena Mihaela Andreea Dragana Jelena Milica Arta Drita Besa Fjolla Albana Merita Vlora",
    m: "Marius Andrei Mihai Florin Ionut Bogdan Dragan Milan Nikola Stefan Arben Besnik Driton Fatmir Ilir Valon Burim",
  },
  german: {
    f: "Anna Lena Laura Julia Lisa Sophie Hannah Emma Mia Lea Leonie Katharina Johanna Christina Sabine Petra Monika Claudia Susanne Andrea Birgit Heike Ursula Renate Karin Gabriele Ingrid Brigitte Helga Elke Silke Anja Kerstin Nicole Stefanie Melanie Tanja Miriam",
    m: "Jonas Lukas Leon Felix Paul Maximilian Jan Tim Niklas Tobias Florian Stefan Thomas Michael Andreas Christian Markus Martin Peter Wolfgang Klaus Jürgen Uwe Dieter Werner Günter Matthias Sebastian Alexander Philipp Moritz Jakob Johannes Simon David Benjamin Julian Fabian Dominik Manuel Patrick Sven Jens Dirk Holger Bernd Rainer Ralf Frank",
  },
};

export type GivenName = { name: string; region: NameRegion; gender: Gender };

export const GIVEN_NAMES: GivenName[] = Object.entries(LIST).flatMap(([region, byGender]) =>
  Object.entries(byGender).flatMap(([gender, names]) => names.split(/\s+/).filter(Boolean).map((name) => ({ name, region: region as NameRegion, gender: gender as Gender }))),
);

/** Pseudonyms: names of the same region and gender that are not in LIST (so a pseudonym is never a real hit). */
export const PSEUDONYMS: Record<NameRegion, Record<Gender, string[]>> = {
  arabic: { f: ["Nadia", "Samia", "Widad", "Ilham", "Najwa", "Basma"], m: ["Fuad", "Jalal", "Munir", "Rashid", "Tawfiq", "Zuhair"] },
  persian: { f: ["Marzia", "Shukria", "Mahbuba", "Gulnar", "Nasrin", "Pari"], m: ["Baktash", "Nasrullah", "Tamim", "Siawash", "Bashir", "Shams"] },
  horn: { f: ["Tirhas", "Lemlem", "Akberet", "Selamawit", "Nigisti", "Zewdi"], m: ["Tesfalem", "Berhane", "Goitom", "Kibrom", "Mulugeta", "Solomon"] },
  turkish: { f: ["Sevgi", "Nilay", "Pinar", "Aylin", "Gamze", "Sevda"], m: ["Oğuz", "Levent", "Tuncay", "Yavuz", "Sinan", "Erol"] },
  slavic: { f: ["Zoryana", "Lesya", "Ulyana", "Myroslava", "Orysia", "Zlata"], m: ["Ostap", "Yaroslav", "Stepan", "Orest", "Zenon", "Myron"] },
  balkan: { f: ["Teuta", "Shpresa", "Vesna", "Zorica", "Luminița", "Rodica"], m: ["Agim", "Gazmend", "Zoran", "Radu", "Sorin", "Luan"] },
  german: { f: ["Gisela", "Hildegard", "Irmgard", "Waltraud", "Roswitha", "Edeltraud"], m: ["Gerhard", "Siegfried", "Reinhold", "Eberhard", "Gottfried", "Ludwig"] },
};

export const NEUTRAL_PSEUDONYMS = ["Person A", "Person B", "Person C", "Person D", "Person E", "Person F", "Person G", "Person H"];
