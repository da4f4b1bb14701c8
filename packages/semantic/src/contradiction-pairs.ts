/**
 * Pairs of questions that read alike but want different answers: the first is cached, the second asked.
 * Written for this package (none comes from OSSChat); every one must be refused.
 */
export const CONTRADICTION_PAIRS: readonly (readonly [cached: string, asked: string])[] = [
  // negation and opposite actions
  [
    'How do I enable two-factor authentication on GitLab?',
    'How do I disable two-factor authentication on GitLab?',
  ],
  ['How can I increase the heap size of the JVM?', 'How can I decrease the heap size of the JVM?'],
  ['Should I commit the lock file to git?', 'Should I not commit the lock file to git?'],
  ['Can I run Docker with root privileges?', 'Can I run Docker without root privileges?'],
  ['How do I install Homebrew on a Mac?', 'How do I uninstall Homebrew on a Mac?'],
  ['How do I encrypt a backup with gpg?', 'How do I decrypt a backup with gpg?'],
  ['How do I show hidden files in Finder?', 'How do I hide hidden files in Finder?'],
  ['How do I add a column to a Postgres table?', 'How do I remove a column from a Postgres table?'],
  ['How do I copy files to an S3 bucket?', 'How do I copy files from an S3 bucket?'],
  ['Is it safe to delete the node_modules folder?', 'Is it unsafe to delete the node_modules folder?'],
  ['How do I lock a row in MySQL?', 'How do I unlock a row in MySQL?'],
  ['How do I import a CSV file into Excel?', 'How do I export a CSV file from Excel?'],
  [
    'What are the advantages of server-side rendering?',
    'What are the disadvantages of server-side rendering?',
  ],
  ['How do I start the nginx service?', 'How do I stop the nginx service?'],
  ['Why does my build always fail on CI?', 'Why does my build never fail on CI?'],
  ['How do I make a GitHub repository public?', 'How do I make a GitHub repository private?'],
  ['Can you explain how to upload a file with curl?', 'Can you explain how to download a file with curl?'],
  ['How do I configure log retention in Elasticsearch?', 'How do I disable log retention in Elasticsearch?'],
  ['How do I set up a cron job on Linux?', 'How do I remove a cron job on Linux?'],
  // numbers and versions
  ['What changed in Python 3.11?', 'What changed in Python 3.12?'],
  ['How do I migrate from Angular 14 to Angular 15?', 'How do I migrate from Angular 15 to Angular 16?'],
  ['Convert 100 Fahrenheit to Celsius', 'Convert 200 Fahrenheit to Celsius'],
  ['Is 17 a prime number?', 'Is 21 a prime number?'],
  ['What is the HTTP status code 404?', 'What is the HTTP status code 401?'],
  ['How many days are there in 3 weeks?', 'How many days are there in 5 weeks?'],
  ['What is new in Node.js 18?', 'What is new in Node.js 20?'],
  ['Write a haiku with 3 lines about rain', 'Write a haiku with 4 lines about rain'],
  // different named things
  ['What is the capital of Austria?', 'What is the capital of Australia?'],
  ['What is the population of France?', 'What is the population of Germany?'],
  ['How do I deploy a Flask app to Heroku?', 'How do I deploy a Flask app to Netlify?'],
  ['Who founded Microsoft?', 'Who founded Apple?'],
  ['How do I connect Grafana to Prometheus?', 'How do I connect Grafana to InfluxDB?'],
  ['What is the time zone of Sweden?', 'What is the time zone of Switzerland?'],
  ['How do I sort a list in Python?', 'How do I sort a list in Kotlin?'],
  ['What is the currency of Slovakia?', 'What is the currency of Slovenia?'],
  ['Summarize the plot of Hamlet', 'Summarize the plot of Macbeth'],
];
