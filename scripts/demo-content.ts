/**
 * What the demo community says: its people, groups, threads and replies. Plain data, read by
 * scripts/demo-seed.ts, which creates it all through the feature services.
 *
 * Everyone here is invented. Posts share experience and point to real charities; none of them
 * presents medical advice as fact.
 */
import type { ReactionKind } from '../src/features/forum/schema.js';

export const DEMO_PASSWORD = 'support-demo-2026';
export const DEMO_EMAIL_DOMAIN = 'demo.mutual.test';
export const DEMO_ADMIN = { pseudonym: 'Site Admin', email: `admin@${DEMO_EMAIL_DOMAIN}` } as const;

export interface DemoPost {
  author: string;
  body: string;
  /** Reactions this post mostly draws (none when empty); defaults depend on whether it opens a thread or replies. */
  reactions?: ReactionKind[];
}

export interface DemoThread extends DemoPost {
  title: string;
  /** How long ago the thread was started, in days (fractions for hours). */
  daysAgo: number;
  pinned?: boolean;
  locked?: boolean;
  replies: DemoPost[];
}

export interface DemoGroup {
  name: string;
  summary: string;
  description: string;
  tags: string[];
  language: 'en' | 'es' | 'fr';
  leadership: 'peer' | 'professional';
  visibility: 'public' | 'members';
  /** Creates the group, so becomes its owner (for a professional group, its lead facilitator). */
  owner: string;
  /** Professionals who co-lead a professional group with its owner. */
  facilitators?: string[];
  moderators: string[];
  /** Members who read along without posting here; everyone who posts joins anyway. */
  alsoMembers: string[];
  startedDaysAgo: number;
  threads: DemoThread[];
}

/** Every demo account, in sign-up order after the site admin. */
export const demoPeople: string[] = [
  'Ruth - Social Worker',
  'Nurse Priya',
  'Counsellor Dev',
  'Maple',
  'QuietOwl',
  'TeaAndToast',
  'Sunflower72',
  'NorthernLights',
  'Marigold',
  'Pebble',
  'HarbourLight',
  'Jo_from_Leeds',
  'WalkingWendy',
  'SapperSteve',
  'KettleOn',
  'Bramble',
  'Wren',
  'LarkRising',
  'Moonbeam',
  'KnitOne',
  'Paloma',
  'Javi_cuidador',
  'Rosa del Sur',
  'PetiteLune',
  'Camille P.',
  'PapaOurs',
  'SweetPea',
  'PumpLife',
  'StepByStep',
  'OneDayAtATime',
  'Phoenix',
  'RainbowRiver',
  'Sasha T',
  'HeartwiseHarry',
  'BeatGoesOn',
  'SpoonieSue',
  'SlowAndSteady',
  'Willow',
  'Dandelion',
];

/** The email a demo account signs in with: its pseudonym, simplified, at the demo domain. */
export function demoEmail(pseudonym: string): string {
  if (pseudonym === DEMO_ADMIN.pseudonym) return DEMO_ADMIN.email;
  const local = pseudonym
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '.')
    .replace(/^\.+|\.+$/g, '');
  return `${local}@${DEMO_EMAIL_DOMAIN}`;
}

/** Lets posts be written indented like the code around them: strips the common indentation. */
function text(strings: TemplateStringsArray, ...values: string[]): string {
  const lines = strings.reduce((all, part, i) => all + part + (values[i] ?? ''), '').split('\n');
  while (lines.length && lines[0]!.trim() === '') lines.shift();
  while (lines.length && lines[lines.length - 1]!.trim() === '') lines.pop();
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length));
  return lines.map((l) => l.slice(indent).trimEnd()).join('\n');
}

const crisisLine = text`
  **If you are in crisis right now**, please don't wait for a reply here: call Samaritans free on **116 123** (UK and Ireland, any time), or your local emergency number.
`;

export const demoGroups: DemoGroup[] = [
  {
    name: 'Losing a Parent',
    summary: 'For anyone grieving the death of a mum, dad or the person who raised them, however long ago it was.',
    description: text`
      Losing a parent can turn the world upside down, whether it was sudden or after a long illness, last week or twenty years ago.

      This is a peer-led group: we are not counsellors, just people who have been there and are still finding our way. Come and read, post when you are ready, or simply leave a reaction to say "me too".

      For one-to-one support, [Cruse Bereavement Support](https://www.cruse.org.uk) has a free helpline and local volunteers.
    `,
    tags: ['grief', 'bereavement', 'parents', 'loss'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'Maple',
    moderators: ['KnitOne'],
    alsoMembers: ['Rosa del Sur', 'HeartwiseHarry'],
    startedDaysAgo: 74,
    threads: [
      {
        title: 'Welcome — read this first',
        author: 'Maple',
        daysAgo: 73.9,
        pinned: true,
        reactions: ['helpful', 'support'],
        body: text`
          Hello and welcome. I started this group after my dad died, because the people who helped me most were the ones who had lost a parent too.

          **A few things that keep this a kind place:**

          - Grief has no timetable. Nobody here will ask why you're "still" upset.
          - Share your own experience rather than telling others what they should feel or do.
          - Use a content note at the top of a post if it describes an illness or a death in detail.
          - What's said here stays here. Please don't copy posts elsewhere.

          You don't have to post to belong. Reading along counts.

          ${crisisLine}
        `,
        replies: [
          {
            author: 'Willow',
            body: 'Thank you for setting this up, Maple. I read for a month before I said anything, and it helped just knowing other people were up at 2am too.',
          },
          {
            author: 'Dandelion',
            body: 'Just joined. My mum died in the spring and most of my friends still have both parents, so this is a relief to find.',
            reactions: ['thinking_of_you', 'support'],
          },
          {
            author: 'KnitOne',
            body: "Welcome Dandelion. Have a look around and post whenever you like. There's no wrong way to do this.",
          },
        ],
      },
      {
        title: "Mum's birthday is on Sunday and I don't know what to do with the day",
        author: 'Dandelion',
        daysAgo: 3.2,
        body: text`
          It would have been her 68th. Last year we went for afternoon tea and she complained about the scones the whole time, which is honestly one of my favourite memories now.

          Part of me wants to mark it and part of me wants to stay under the duvet until Monday. Did any of you do something on the first birthday? Or not, and that was OK too?
        `,
        replies: [
          {
            author: 'Maple',
            body: text`
              The first birthday after Dad was harder than the funeral for me. A few things people here suggested that I found gentle:

              - Doing one small thing she loved (you could have a scone and complain about it on her behalf 💛)
              - Writing her a card or a letter, even if nobody else ever reads it
              - Telling one friend in advance, so you don't have to explain on the day
              - Giving yourself permission to change the plan at the last minute

              Staying under the duvet is also a completely valid plan.
            `,
            reactions: ['helpful', 'support'],
          },
          {
            author: 'Bramble',
            body: "For Dad's first birthday my brother and I walked his favourite route along the canal and didn't say much. It was sad but it felt like we'd spent the day with him rather than hiding from it.",
          },
          {
            author: 'QuietOwl',
            body: "Thinking of you for Sunday. I didn't do anything for the first one and felt guilty, then did something for the second and felt silly. There really isn't a right answer.",
            reactions: ['me_too', 'thinking_of_you'],
          },
          {
            author: 'Sunflower72',
            body: 'The scones story made me smile. She sounds like she had opinions! I hope the day is as kind to you as it can be.',
          },
          {
            author: 'Dandelion',
            body: "Thank you all. I think I'll go to the garden centre café she liked and see how I feel. Telling my partner in advance is a good idea, I hadn't thought of that.",
            reactions: ['support'],
          },
        ],
      },
      {
        title: "Clearing out Dad's house",
        author: 'Sunflower72',
        daysAgo: 12.5,
        body: text`
          The house has to be emptied before the end of next month. Every drawer is full of him: his reading glasses, the notes he wrote to himself, forty years of garden centre receipts.

          I keep starting and then sitting on the floor for an hour. How did you get through it?
        `,
        replies: [
          {
            author: 'KnitOne',
            body: text`
              Sitting on the floor for an hour is part of it, I think. What helped us:

              1. **Photograph things before letting them go.** I have an album of Mum's teapots and it means as much as the teapots did.
              2. Keep one **memory box** each. It forced us to choose.
              3. Do it in short sessions with someone else there, even if they just make tea.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'TeaAndToast',
            body: 'I kept a couple of his handwritten shopping lists. Of everything in that house, they are what I look at most.',
            reactions: ['me_too'],
          },
          {
            author: 'Pebble',
            body: "We didn't manage to clear Mum's flat in time and the council gave us an extension when we asked. Might be worth asking if there's any give in the deadline.",
          },
          {
            author: 'Maple',
            body: "The receipts made me laugh and then tear up. Be gentle with yourself. You don't have to decide about everything at once; a box marked 'later' is allowed.",
          },
          {
            author: 'Sunflower72',
            body: 'Update: my cousin came over on Saturday and we did the kitchen in three hours with a photo of anything that mattered. I kept his mug and one receipt. Thank you for the ideas.',
            reactions: ['support', 'helpful'],
          },
        ],
      },
      {
        title: 'Grief in the supermarket',
        author: 'Bramble',
        daysAgo: 0.4,
        reactions: ['me_too', 'thinking_of_you'],
        body: 'They played the song from Dad’s funeral in the supermarket today and I had to abandon my trolley by the yoghurts and sit in the car. Two years on. I thought I was past the ambush stage.',
        replies: [
          {
            author: 'QuietOwl',
            body: "The ambushes still get me too. Somebody described grief to me as a ball in a box with a button: the ball gets smaller over time but it still hits the button sometimes. That picture helped me not feel like I'd gone backwards.",
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Willow',
            body: 'Sending a hug to the car park. I hope someone put the yoghurts back for you.',
          },
          {
            author: 'Maple',
            body: 'Not going backwards, just loving him. Did you get home OK?',
          },
          {
            author: 'Bramble',
            body: 'Home now with toast. Thank you. The ball-in-a-box thing is going to stay with me.',
          },
        ],
      },
      {
        title: 'Books or podcasts that helped you?',
        author: 'QuietOwl',
        daysAgo: 26,
        body: "I can't concentrate on much at the moment, but I can manage a podcast on a walk. What has helped you, if anything?",
        replies: [
          {
            author: 'Maple',
            body: text`
              A few that got recommended here and helped me:

              - **Grief Works** by Julia Samuel: short chapters, each one about a different person's loss
              - **It's OK That You're Not OK** by Megan Devine
              - **Griefcast**, the podcast: funny and sad at the same time, which is how grief felt for me
            `,
            reactions: ['helpful'],
          },
          {
            author: 'Dandelion',
            body: 'Griefcast got me through the first few months. I listened on the bus and had to pretend I had hay fever more than once.',
          },
          {
            author: 'HeartwiseHarry',
            body: "I'm not much of a reader, but the Cruse website has short pieces about grief after a parent dies that I could manage a paragraph at a time: https://www.cruse.org.uk",
          },
        ],
      },
    ],
  },
  {
    name: 'Type 1 & Type 2 Diabetes Together',
    summary:
      'Peer support for adults living with type 1 or type 2 diabetes: hypos, sensors, food, feelings, and the daily maths.',
    description: text`
      Whatever type you have and however long you've had it, you're welcome here.

      We share what works for us, swap tips about kit and talk about the parts of diabetes nobody sees. **We don't give medical advice**: please talk any change to medication or insulin through with your diabetes team.

      Good information to check things against: [Diabetes UK](https://www.diabetes.org.uk).
    `,
    tags: ['diabetes', 'type 1', 'type 2', 'chronic illness', 'insulin'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'Jo_from_Leeds',
    moderators: ['SweetPea'],
    alsoMembers: [],
    startedDaysAgo: 66,
    threads: [
      {
        title: 'Hypo at work — how do you tell colleagues?',
        author: 'SweetPea',
        daysAgo: 2.1,
        body: text`
          Had a hypo in a meeting yesterday and ended up eating jelly babies in front of my manager while trying to sound normal. Nobody at my new job knows I'm type 1.

          How did you tell people at work? Did you do a big explanation or just tell one person?
        `,
        replies: [
          {
            author: 'Jo_from_Leeds',
            body: text`
              I told my team in a five-minute chat in my first month, with a sheet on the kitchen noticeboard. It covered:

              - what a hypo looks like for me (I go quiet and a bit stroppy)
              - where my glucose tablets live
              - that if I'm confused they should get someone first-aid trained

              It made it much less of a big deal afterwards.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'PumpLife',
            body: 'I only told one colleague I trust at first, and let it spread naturally. Eating jelly babies in a meeting is a rite of passage, honestly. Your manager has probably already forgotten.',
            reactions: ['me_too'],
          },
          {
            author: 'KettleOn',
            body: "Type 2 here on tablets, so hypos aren't my world, but my workplace did a diabetes awareness session after someone asked HR. Might be worth a question?",
          },
          {
            author: 'SweetPea',
            body: "Thanks all. I'm going to tell my manager properly on Thursday and maybe do Jo's noticeboard sheet. Feeling less daft about it already.",
            reactions: ['support'],
          },
        ],
      },
      {
        title: "Just diagnosed with type 2 and feeling like it's my fault",
        author: 'HeartwiseHarry',
        daysAgo: 19,
        reactions: ['support', 'me_too'],
        body: text`
          Diagnosed three weeks ago, not long after my heart attack. Everywhere I look it's "lifestyle disease" and I feel like everyone thinks I ate myself into it.

          My wife is being lovely but I can see her reading food labels at me. Does the guilt wear off?
        `,
        replies: [
          {
            author: 'KettleOn',
            body: "It does ease. My dad and his brothers all had it, and my GP told me family history plays a big part. Blaming yourself won't make the numbers better; a bit of kindness to yourself might make the changes easier to stick with.",
            reactions: ['helpful', 'support'],
          },
          {
            author: 'Jo_from_Leeds',
            body: "Type 1 here and I still get 'did you eat too many sweets as a kid?' The blame thing is everywhere and it's nonsense. You're dealing with a lot at once, Harry.",
            reactions: ['me_too'],
          },
          {
            author: 'Sunflower72',
            body: text`
              Diagnosed two years ago. What helped me more than any diet book was picking **small** things:

              - swapping one thing a week rather than everything at once
              - a walk after tea (which my dog is delighted about)
              - going on the free education course my surgery offered, where I met people in the same boat

              And tell your wife the label-reading makes you feel watched. Mine was relieved I said it.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'HeartwiseHarry',
            body: "Thank you. I've asked the surgery about the course. And we had the label conversation; she was worried, not judging. Should have asked sooner.",
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'CGM sensor fell off again — tips for keeping it stuck?',
        author: 'PumpLife',
        daysAgo: 0.3,
        reactions: ['me_too'],
        body: 'Third one this month. Swimming twice a week and I think the chlorine hates me. What do you use to keep sensors on?',
        replies: [
          {
            author: 'SweetPea',
            body: 'Overpatches changed my life. There are loads of patterned ones if you want your arm to look fancy. I also clean the spot with an alcohol wipe and let it dry fully before applying.',
            reactions: ['helpful'],
          },
          {
            author: 'Jo_from_Leeds',
            body: 'Worth telling your diabetes team too: some suppliers replace sensors that fall off early, and they may have a preferred adhesive.',
            reactions: ['helpful'],
          },
          {
            author: 'PumpLife',
            body: 'Had no idea about replacements, thank you both. Overpatches ordered, going for the dinosaur ones.',
          },
        ],
      },
      {
        title: "Saw a video saying a 30-day juice cleanse 'reverses' type 2",
        author: 'WalkingWendy',
        daysAgo: 9,
        locked: true,
        body: "My sister sent me this video and now she keeps asking if I've started. Has anyone tried anything like this? I'm tempted to stop my tablets and just do it.",
        replies: [
          {
            author: 'KettleOn',
            body: "My nurse talked to me about remission through a supported low-calorie programme, but it was planned with her and my tablets were adjusted by the team. Very different from a video. Please don't stop anything without talking to them.",
            reactions: ['helpful'],
          },
          {
            author: 'HeartwiseHarry',
            body: 'My cousin swears juicing sorted him out. Might be worth a go if you feel up to it?',
            reactions: [],
          },
          {
            author: 'Sunflower72',
            body: "Harry, I don't think that's fair to say when Wendy's talking about coming off medication. Everyone's body is different.",
          },
          {
            author: 'HeartwiseHarry',
            body: 'I was only passing on what happened to him, not telling her what to do.',
            reactions: [],
          },
          {
            author: 'SweetPea',
            body: text`
              Moderator here. I'm going to lock this thread: it's going round in circles, and I'd rather nobody took "it worked for my cousin" as a reason to change their treatment.

              Wendy, please talk to your diabetes team before changing anything. If you're curious about remission, Diabetes UK has a balanced explainer: https://www.diabetes.org.uk

              No one's in trouble. Thanks for keeping it kind.
            `,
            reactions: ['helpful', 'support'],
          },
        ],
      },
      {
        title: 'Small win: HbA1c down',
        author: 'KettleOn',
        daysAgo: 7.4,
        reactions: ['support', 'me_too'],
        body: "Results back this morning and it's gone down for the second time in a row. Nothing dramatic, mostly walking the dog further and not keeping biscuits in the house. Wanted to tell people who'd understand why I'm grinning.",
        replies: [
          {
            author: 'Jo_from_Leeds',
            body: 'Brilliant news! Grin away 🎉',
          },
          {
            author: 'WalkingWendy',
            body: "That's lovely to read. The biscuit thing is the hardest part for me, so I'm in awe.",
            reactions: ['me_too'],
          },
          {
            author: 'HeartwiseHarry',
            body: 'Gives me hope. Well done, and well done to the dog.',
          },
        ],
      },
    ],
  },
  {
    name: "Dementia Carers' Corner",
    summary:
      'A place for people caring for a parent, partner or friend living with dementia, from the first signs to later stages.',
    description: text`
      Caring for someone with dementia can be lonely, exhausting and full of love all at once. Here we share what's worked in our homes, vent when we need to, and remind each other to eat lunch.

      Useful links:

      - [Alzheimer's Society](https://www.alzheimers.org.uk): Dementia Connect support line
      - [Dementia UK](https://www.dementiauk.org): Admiral Nurse helpline for families
      - [Carers UK](https://www.carersuk.org): rights, money and carers' assessments
    `,
    tags: ['dementia', 'alzheimers', 'carers', 'family'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'TeaAndToast',
    moderators: ['KnitOne'],
    alsoMembers: ['Javi_cuidador', 'Willow'],
    startedDaysAgo: 61,
    threads: [
      {
        title: 'Mum keeps asking for her own mum — do I tell her?',
        author: 'TeaAndToast',
        daysAgo: 1.1,
        reactions: ['thinking_of_you', 'me_too'],
        body: text`
          Most evenings Mum asks when Granny is coming to pick her up. Granny died in 1989. When I told her the truth the first time, she grieved like it was brand new, and I never want to see that again.

          But saying "she's on her way" feels like lying to her. What do you do?
        `,
        replies: [
          {
            author: 'KnitOne',
            body: text`
              We went through exactly this with my dad asking for his brother. What helped in our house was **answering the feeling rather than the fact**:

              - "You're thinking about your mum. Tell me about her?"
              - getting out a photo album
              - and sometimes a cup of tea and a change of scene

              Often the question was really "I feel unsafe" or "I want to go home". Our Admiral Nurse talked it through with us, which eased my guilt a lot.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'Paloma',
            body: 'Mi padre asks for my grandmother too. I used to correct him and we were both upset. Now I ask him what she cooked, and he tells me about her lentils for twenty minutes and is calm. Sorry for my English!',
            reactions: ['me_too', 'helpful'],
          },
          {
            author: 'Maple',
            body: "Your English is lovely, Paloma. TeaAndToast, you're not a liar, you're someone trying to protect her mum from fresh grief every night. That's love.",
            reactions: ['support'],
          },
          {
            author: 'Bramble',
            body: "Dementia UK's Admiral Nurse helpline was so useful for questions like this: https://www.dementiauk.org. They didn't tell me what to do, they helped me work out what felt right for Dad.",
          },
          {
            author: 'TeaAndToast',
            body: "Tried asking about Granny's house tonight instead. Mum told me about the coal bunker and the dog called Nipper, and then asked for a biscuit. Thank you.",
            reactions: ['support', 'thinking_of_you'],
          },
        ],
      },
      {
        title: 'Respite care — did you feel guilty?',
        author: 'Bramble',
        daysAgo: 9.3,
        body: "Social services have offered a week of respite so I can go to my daughter's wedding. I should be grateful, but I feel like I'm abandoning Dad. Did anyone else feel this?",
        replies: [
          {
            author: 'TeaAndToast',
            body: 'Every single time. And every time I come back rested and kinder. Go to the wedding; you can be his carer and her mum.',
            reactions: ['me_too', 'support'],
          },
          {
            author: 'KnitOne',
            body: "I wrote a one-page 'about me' for Mum's respite stay: what she likes to be called, her music, how she takes her tea. It helped me hand over, and the staff said it helped them too.",
            reactions: ['helpful'],
          },
          {
            author: 'Willow',
            body: 'Not a carer any more, but when Mum went into respite I cried in the car and then slept eleven hours. It was the right thing. Enjoy the wedding.',
          },
        ],
      },
      {
        title: 'Sundowning — what helps in your house?',
        author: 'KnitOne',
        daysAgo: 4.6,
        body: "Late afternoons have become hard again: pacing, asking to go home, getting cross with the telly. I'd love a pooled list of things that help. I'll start.",
        replies: [
          {
            author: 'KnitOne',
            body: text`
              What seems to help us (not every day!):

              - **Lights on and curtains closed before it gets dark**, so the shadows don't confuse him
              - his old brass band records at about four o'clock
              - a short walk round the garden after lunch
              - tea switched to decaf after midday
            `,
            reactions: ['helpful'],
          },
          {
            author: 'TeaAndToast',
            body: 'Folding towels. Mum folds the same pile of towels every afternoon and it settles her. I unfold them when she goes to bed.',
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Paloma',
            body: 'For my father, fewer people in the house at that time. Visits in the morning are better for him.',
          },
          {
            author: 'Bramble',
            body: "Writing these down. The towel idea is genius. Dad used to fold the newspaper into perfect squares, so maybe that's the same thing.",
          },
        ],
      },
      {
        title: 'Power of attorney — I wish we had done it sooner',
        author: 'Maple',
        daysAgo: 31,
        reactions: ['helpful'],
        body: text`
          A practical one. We left Mum's **lasting power of attorney** too late and it made dealing with the bank really hard. If your person can still take part, it might be worth looking into now.

          The official guide is here: https://www.gov.uk/power-of-attorney. Carers UK also has information on managing someone's affairs.
        `,
        replies: [
          {
            author: 'Bramble',
            body: 'Same experience here. The forms look scary but we did them at the kitchen table with Dad over two afternoons.',
          },
          {
            author: 'TeaAndToast',
            body: 'Thank you for this. Adding it to the list of things I keep meaning to do. Going to ring my brother about it tonight.',
          },
          {
            author: 'Javi_cuidador',
            body: 'In Spain it is different, but the advice is the same: do it early. We learned it too late for my mother.',
          },
        ],
      },
    ],
  },
  {
    name: 'Recovery Together',
    summary:
      'Members-only peer support for people in recovery from alcohol or drug addiction, or thinking about it. One day at a time.',
    description: text`
      A private group for people in recovery, whatever your path: twelve-step, SMART, medication-supported, or your own way. Only members can read the discussions.

      **Our agreements:** no judgement, no war stories that glamorise using, no selling anything. Slips are met with support, never shame.

      Other places to find support: [SMART Recovery UK](https://smartrecovery.org.uk), [Alcoholics Anonymous](https://www.alcoholics-anonymous.org.uk), [Narcotics Anonymous](https://ukna.org).
    `,
    tags: ['recovery', 'addiction', 'sobriety', 'alcohol', 'peer support'],
    language: 'en',
    leadership: 'peer',
    visibility: 'members',
    owner: 'LarkRising',
    moderators: ['HarbourLight'],
    alsoMembers: ['RainbowRiver'],
    startedDaysAgo: 58,
    threads: [
      {
        title: 'Day 30 today',
        author: 'StepByStep',
        daysAgo: 0.5,
        reactions: ['support'],
        body: "Thirty days. I haven't managed more than nine in four years. I don't feel amazing, honestly I feel tired and a bit flat, but I'm here and I'm proud and I wanted to say it somewhere safe.",
        replies: [
          {
            author: 'LarkRising',
            body: 'Thirty days! Tired and flat and proud is a very honest 30 days. Well done, really.',
            reactions: ['support'],
          },
          {
            author: 'HarbourLight',
            body: 'The flat feeling lifted for me somewhere around month two or three. Not a promise, just my experience. Keep going.',
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Phoenix',
            body: 'This made my morning. 💪',
          },
          {
            author: 'OneDayAtATime',
            body: 'Needed to read this today. Thank you for posting it.',
            reactions: ['thinking_of_you'],
          },
        ],
      },
      {
        title: "HALT — is anyone else caught out by 'tired'?",
        author: 'HarbourLight',
        daysAgo: 6.2,
        body: text`
          Someone at my first meeting taught me **HALT**: check whether you're **H**ungry, **A**ngry, **L**onely or **T**ired before you trust a craving.

          Hungry and angry I spot now. Tired sneaks up on me every time. Anyone else?
        `,
        replies: [
          {
            author: 'SapperSteve',
            body: "Lonely is mine. Sunday afternoons. I've started booking a walk with a mate at 3pm every Sunday so the gap isn't there.",
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'StepByStep',
            body: "Tired, 100%. I now treat 'I could really do with a drink' after 9pm as a signal to go to bed.",
            reactions: ['me_too'],
          },
          {
            author: 'LarkRising',
            body: 'I added an extra letter for me: HALTS, with S for Stressed about money. Might be just me!',
          },
          {
            author: 'RainbowRiver',
            body: 'Not just you, Lark.',
            reactions: ['me_too'],
          },
        ],
      },
      {
        title: 'Going to a wedding next month — how do you handle the toast?',
        author: 'Phoenix',
        daysAgo: 10.8,
        body: "My best friend's getting married and I'm going to be surrounded by free bar, speeches and people who knew me at my worst. I want to be there for her. Tips?",
        replies: [
          {
            author: 'LarkRising',
            body: text`
              Things that worked for me at my brother's wedding:

              1. **Bring your own drink** in your hand at all times. People rarely offer you one if you're holding one.
              2. Tell one person there what's going on, so you have an ally.
              3. Have an exit plan: your own transport, and permission to leave after the first dance.
              4. Text someone from here before and after. We'll be around.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'OneDayAtATime',
            body: "Raise a glass of anything for the toast. Nobody is checking what's in it, I promise.",
            reactions: ['helpful'],
          },
          {
            author: 'HarbourLight',
            body: 'Ask the venue in advance what alcohol-free options they have. The good ones have proper alcohol-free drinks now, not just orange juice.',
          },
          {
            author: 'Phoenix',
            body: 'Exit plan and ally sorted. My friend actually cried when I told her, in a good way. Thank you all.',
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'Slipped after five months. Feeling like a fraud.',
        author: 'OneDayAtATime',
        daysAgo: 2.4,
        reactions: ['support', 'thinking_of_you'],
        body: "Had a bad week, a funeral and then an argument, and I drank on Saturday. I'm back to day three and I feel like I've wasted five months and let everyone here down.",
        replies: [
          {
            author: 'HarbourLight',
            body: "You haven't wasted five months. Those months happened: what you learned in them is still yours. And you came back here and told us, which takes guts.",
            reactions: ['support'],
          },
          {
            author: 'LarkRising',
            body: text`
              You've let nobody down. When I slipped, my sponsor asked me three questions that helped more than any telling-off:

              - What was going on just before?
              - What would you do differently with that moment?
              - Who can you call next time, before rather than after?

              No answers needed here, only if they help.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'SapperSteve',
            body: "Day three is a day. Glad you're here, mate.",
          },
          {
            author: 'StepByStep',
            body: "I've been where you are more times than I can count. You posting this is part of why I kept trying.",
            reactions: ['me_too'],
          },
          {
            author: 'OneDayAtATime',
            body: 'Thank you. Going to a meeting tonight. Nice not to feel like I have to hide it.',
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'Morning routines that keep you steady',
        author: 'SapperSteve',
        daysAgo: 21,
        body: 'Mine: up at 6.30, make the bed (army habit), coffee in the garden, read one page of something. Sounds daft but it sets the tone. What do yours look like?',
        replies: [
          {
            author: 'HarbourLight',
            body: 'Walk to the shop for a paper I barely read. It gets me outside and talking to a human before ten.',
          },
          {
            author: 'Phoenix',
            body: 'A gratitude list of three things, even tiny ones. Today: hot shower, cat, the fact it stopped raining.',
            reactions: ['helpful'],
          },
          {
            author: 'LarkRising',
            body: 'Not daft at all, Steve. The bed thing is on my list now.',
          },
        ],
      },
    ],
  },
  {
    name: 'Long COVID Community',
    summary:
      'Support and understanding for people living with long COVID: pacing, fatigue, brain fog, work and the long road back.',
    description: text`
      For anyone whose COVID didn't go away. Whether you've been unwell for three months or three years, you'll find people here who get it.

      Please take breaks from the screen: nobody expects quick replies. We share experiences, not treatments to try; talk changes through with your GP or long COVID clinic.

      More support: [Long Covid Support](https://www.longcovid.org).
    `,
    tags: ['long covid', 'fatigue', 'brain fog', 'pacing', 'chronic illness'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'NorthernLights',
    moderators: ['SpoonieSue'],
    alsoMembers: ['Moonbeam'],
    startedDaysAgo: 55,
    threads: [
      {
        title: 'Pacing: how I finally stopped the boom-and-bust cycle',
        author: 'SpoonieSue',
        daysAgo: 14.5,
        reactions: ['helpful', 'me_too'],
        body: text`
          For a year I'd have one good day, do everything, and then spend four days in bed. What changed things for me, slowly:

          1. **Keeping an activity diary** for two weeks, just to see the pattern
          2. Working out a "baseline": what I could do even on a bad day
          3. Doing *less* than I felt able to on good days (the hardest bit!)
          4. Counting thinking and talking as activity, not just walking

          Action for M.E. has a good, free pacing guide that my clinic pointed me to: https://www.actionforme.org.uk

          Not a cure, and everyone's different. But the crashes are less frequent now.
        `,
        replies: [
          {
            author: 'NorthernLights',
            body: "Point 4 was a revelation to me too. I couldn't understand why a phone call with the bank wiped me out as much as a walk.",
            reactions: ['me_too'],
          },
          {
            author: 'SlowAndSteady',
            body: 'Doing less on good days feels so wrong. Going to try the diary this fortnight though.',
          },
          {
            author: 'WalkingWendy',
            body: 'The chronic pain clinic taught me almost the same thing. I use a timer on my phone: twenty minutes of a task, then a sit.',
            reactions: ['helpful'],
          },
          {
            author: 'Sasha T',
            body: 'Saving this. Thank you for writing it out so clearly on what I imagine was not a high-energy day.',
          },
        ],
      },
      {
        title: 'Phased return to work — what did you ask for?',
        author: 'SlowAndSteady',
        daysAgo: 3.4,
        body: "I've got an occupational health meeting on Tuesday about going back. I'm scared of asking for too much, or too little and crashing. What adjustments did you ask for?",
        replies: [
          {
            author: 'NorthernLights',
            body: text`
              Mine included:

              - starting at **two half-days a week**, building up over three months
              - working from home on the days after office days
              - meetings with cameras off allowed
              - a quiet room to lie down in at lunchtime

              Write your list down before the meeting. Brain fog plus nerves can wipe your mind.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'PumpLife',
            body: "Ask for a review date built in. Mine was every four weeks, which meant I didn't have to get the plan perfect first time.",
            reactions: ['helpful'],
          },
          {
            author: 'SpoonieSue',
            body: "You're allowed to take someone with you in some workplaces. Worth asking. Good luck Tuesday.",
          },
        ],
      },
      {
        title: "Brain fog days — what do you do when the words won't come?",
        author: 'NorthernLights',
        daysAgo: 0.2,
        reactions: ['me_too'],
        body: "Today I called the kettle 'the hot water box' and then cried. Silly, but it's relentless. How do you get through fog days?",
        replies: [
          {
            author: 'Sasha T',
            body: 'The hot water box is a great name honestly. Mine was calling my cat "the dog" for a week. I give myself permission to do nothing that needs words on those days.',
            reactions: ['me_too', 'support'],
          },
          {
            author: 'SpoonieSue',
            body: "Not silly at all. I keep a whiteboard by the door with the three things I must not forget. On fog days that's all I aim for.",
            reactions: ['helpful'],
          },
        ],
      },
      {
        title: 'Two years on — a bit of hope',
        author: 'Sasha T',
        daysAgo: 23,
        reactions: ['support', 'helpful'],
        body: text`
          I promised myself that if things improved I'd come back and say so, because hope posts kept me going.

          Two years ago I couldn't sit up for long. This week I walked to the park and back and **went to a friend's birthday for an hour**. It's been slow, with lots of setbacks, and I'm not "back to normal". But it's better.

          If you're in the thick of it right now: I'm thinking of you.
        `,
        replies: [
          {
            author: 'NorthernLights',
            body: 'Thank you for coming back to write this. Genuinely.',
            reactions: ['thinking_of_you'],
          },
          {
            author: 'SlowAndSteady',
            body: 'Crying a bit reading this. An hour at a party sounds like a mountain to me right now, so congratulations.',
          },
          {
            author: 'Moonbeam',
            body: 'Saving this for bad days.',
          },
          {
            author: 'PumpLife',
            body: 'So pleased for you, Sasha.',
          },
        ],
      },
    ],
  },
  {
    name: 'New Parents & Postnatal Depression',
    summary:
      'For mums, dads and parents finding the months after a baby harder than expected, including postnatal depression and anxiety.',
    description: text`
      Having a baby is meant to be the happiest time, and when it isn't, it can feel impossible to say so. Here you can.

      Dads, partners, adoptive and same-sex parents all welcome. Post at 3am; someone is often awake.

      [PANDAS Foundation](https://pandasfoundation.org.uk) and [Mind](https://www.mind.org.uk) have helplines and information about perinatal mental health. Your GP, midwife or health visitor can help too.
    `,
    tags: ['postnatal depression', 'new parents', 'perinatal', 'anxiety', 'parenting'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'Marigold',
    moderators: ['Moonbeam'],
    alsoMembers: ['QuietOwl', 'PetiteLune'],
    startedDaysAgo: 49,
    threads: [
      {
        title: "I love my baby but I don't feel like myself",
        author: 'Dandelion',
        daysAgo: 1.6,
        reactions: ['support', 'thinking_of_you'],
        body: text`
          She's eleven weeks old. I love her, I do. But I feel like I'm watching my life through glass. I smile at the health visitor and then sit in the car park for twenty minutes.

          Everyone keeps saying "enjoy every moment". I'm not enjoying any of them, and I feel terrible saying that.
        `,
        replies: [
          {
            author: 'Marigold',
            body: text`
              "Watching my life through glass" is exactly how I described it before I was diagnosed with postnatal depression. You're not a bad mum for feeling it.

              The thing that started to help me was **telling my health visitor the truth** instead of the smile. She didn't judge, she helped me get a GP appointment that week. It didn't fix everything, but it was the start.
            `,
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Moonbeam',
            body: "'Enjoy every moment' should be banned. Nobody enjoys every moment. Sending you so much love. PANDAS has a free helpline if talking to someone outside your life feels easier: https://pandasfoundation.org.uk",
            reactions: ['helpful'],
          },
          {
            author: 'Jo_from_Leeds',
            body: 'Car park crying club member here. It does get better, and you reaching out is a really good sign.',
            reactions: ['me_too'],
          },
          {
            author: 'Dandelion',
            body: "I've booked a GP appointment for Thursday. Terrified, but I did it. Thank you.",
            reactions: ['support'],
          },
          {
            author: 'Marigold',
            body: "That's a huge step. Come and tell us how it goes, if you'd like to.",
          },
        ],
      },
      {
        title: 'Dads get it too',
        author: 'PapaOurs',
        daysAgo: 11.3,
        body: "Posting in English, my French group sent me here too! Our son is four months old. Everyone asks my wife how she is, which is right, but I'm not OK either and I feel I'm not allowed to say it. Is it normal for fathers?",
        replies: [
          {
            author: 'Marigold',
            body: "You're absolutely allowed to say it. My husband struggled after our second and it took months before he told anyone. Fathers can have postnatal depression too.",
            reactions: ['helpful', 'support'],
          },
          {
            author: 'Wren',
            body: 'Non-birthing parent here. Nobody asked me either. Talking to my GP helped, and so did finding one other parent who admitted it was hard.',
            reactions: ['me_too'],
          },
          {
            author: 'PapaOurs',
            body: "Thank you. I'll speak to my doctor. It helps to read this.",
          },
        ],
      },
      {
        title: "Those scary 'what if' thoughts at 3am",
        author: 'Jo_from_Leeds',
        daysAgo: 6.8,
        reactions: ['me_too', 'thinking_of_you'],
        body: "During night feeds my brain throws up horrible what-if pictures about something happening to the baby. I'd never act on them and they frighten me. I've been too ashamed to tell anyone.",
        replies: [
          {
            author: 'Moonbeam',
            body: 'I had these too. When I finally told my health visitor, she said unwanted frightening thoughts are something lots of new parents experience, and being upset by them is a sign of how much you care. Talking to her took so much of the shame away.',
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Marigold',
            body: "Thank you for being brave enough to write this, Jo. If they're taking over, your GP or health visitor is a good person to tell. You deserve support with this.",
            reactions: ['support'],
          },
          {
            author: 'QuietOwl',
            body: 'Not a parent, but an anxiety brain does this to me with other things. You are not your thoughts.',
          },
        ],
      },
      {
        title: 'Tiny wins thread',
        author: 'Moonbeam',
        daysAgo: 4.9,
        reactions: ['support'],
        body: "Let's collect the small stuff. Mine today: I had a shower AND dried my hair. Add yours, however tiny.",
        replies: [
          {
            author: 'Dandelion',
            body: 'Walked to the end of the road with the pram. First time out on my own.',
            reactions: ['support'],
          },
          {
            author: 'Jo_from_Leeds',
            body: 'Ate a hot meal while it was actually hot.',
          },
          {
            author: 'PapaOurs',
            body: 'My son laughed for the first time, at my sneeze.',
            reactions: ['support', 'me_too'],
          },
          {
            author: 'Marigold',
            body: "Said 'no' to visitors this weekend and didn't feel guilty. Okay, a little guilty.",
          },
        ],
      },
    ],
  },
  {
    name: 'Chronic Pain Companions',
    summary:
      'Living with chronic pain: fibromyalgia, back pain, arthritis, CRPS and more. Understanding, coping ideas and a place to vent.',
    description: text`
      Pain that doesn't go away affects everything: sleep, work, relationships, mood. You don't have to explain or prove anything here.

      We share what helps us cope and what we'd tell the pain clinic if we had more than ten minutes. Always check treatment questions with your own doctor.

      Helpful reading: [Pain Concern](https://painconcern.org.uk), [Versus Arthritis](https://www.versusarthritis.org).
    `,
    tags: ['chronic pain', 'fibromyalgia', 'arthritis', 'coping'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'WalkingWendy',
    moderators: ['SpoonieSue'],
    alsoMembers: ['Bramble'],
    startedDaysAgo: 52,
    threads: [
      {
        title: "What do you say when people ask 'are you better yet?'",
        author: 'SpoonieSue',
        daysAgo: 2.3,
        reactions: ['me_too'],
        body: "Six years of fibromyalgia and my aunt still asks every Christmas. I never know whether to explain or just say 'getting there'.",
        replies: [
          {
            author: 'WalkingWendy',
            body: "I've settled on: 'It's a long-term thing, so I'm learning to manage it. Today's an OK day.' Honest, short, and it ends the conversation kindly.",
            reactions: ['helpful'],
          },
          {
            author: 'KettleOn',
            body: "I just say 'same as ever, how's the garden?' People mostly want to be kind, they just don't know what to ask.",
          },
          {
            author: 'NorthernLights',
            body: 'I once explained it with spoons and my aunt started asking how many spoons I had left. Best outcome ever.',
            reactions: ['me_too'],
          },
        ],
      },
      {
        title: 'Heat pads, TENS, warm baths — your comfort kit',
        author: 'WalkingWendy',
        daysAgo: 15.2,
        body: text`
          Let's pool our comfort kits. Mine:

          - **microwave wheat bag** (lavender, because why not)
          - a TENS machine my physio suggested trying
          - audiobooks for flare nights
          - a pillow between my knees in bed

          What's in yours?
        `,
        replies: [
          {
            author: 'SpoonieSue',
            body: 'Electric blanket on a timer, so the bed is warm before I get in. And a grabber for things I drop.',
            reactions: ['helpful'],
          },
          {
            author: 'StepByStep',
            body: 'Warm shower first thing, before anything else. Mornings are my worst time.',
          },
          {
            author: 'SlowAndSteady',
            body: 'A "flare box" with snacks, painkillers my GP prescribed, charger, and a note to myself that says "this will pass".',
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Bramble',
            body: 'Lurker here with arthritis in both hands. Jar openers, and a kettle tipper. Changed my life more than anything else.',
          },
        ],
      },
      {
        title: 'Pain clinic appointment next week — what should I ask?',
        author: 'StepByStep',
        daysAgo: 4.1,
        body: 'Waited seven months for this. I always freeze in appointments and remember everything I wanted to say on the bus home.',
        replies: [
          {
            author: 'WalkingWendy',
            body: text`
              Write it all down and hand them the paper. Things I put on mine:

              1. What my pain stops me doing (work, sleep, stairs), with examples
              2. What I've already tried and what happened
              3. **What's the plan if this doesn't work?**
              4. Can I be referred to a pain management programme or a physio?

              Pain Concern has a good sheet on getting the most out of appointments: https://painconcern.org.uk
            `,
            reactions: ['helpful'],
          },
          {
            author: 'SpoonieSue',
            body: 'Take someone with you if you can, even just to take notes.',
            reactions: ['helpful'],
          },
          {
            author: 'StepByStep',
            body: "Printed the list. My sister's coming with me. Thank you!",
          },
        ],
      },
      {
        title: 'Bad flare, just need to vent',
        author: 'KettleOn',
        daysAgo: 0.25,
        reactions: ['support', 'thinking_of_you'],
        body: "Back's gone again. Cancelled my grandson's football, which I hate doing. Lying on the floor with the dog staring at me. No advice needed, just needed to tell someone.",
        replies: [
          {
            author: 'WalkingWendy',
            body: 'Here with you on the floor in spirit. The dog is on duty. I hope it eases soon.',
            reactions: ['support'],
          },
          {
            author: 'SpoonieSue',
            body: 'Cancelling the things we love is the worst bit. Your grandson will have more matches. Sending gentle thoughts.',
          },
        ],
      },
    ],
  },
  {
    name: "Cancer Carers' Circle",
    summary:
      'A facilitated group for partners, family and friends caring for someone with cancer. Led by a hospice counsellor.',
    description: text`
      Caring for someone with cancer can leave little room for your own feelings. This group is facilitated by **Counsellor Dev**, a counsellor at our local hospice, who reads every post and joins in most days.

      This is a space for carers' own wellbeing. For medical questions about the person you care for, please ask their treatment team.

      Also there for you: [Macmillan Cancer Support](https://www.macmillan.org.uk) (free support line), [Maggie's](https://www.maggies.org) centres, and [Carers UK](https://www.carersuk.org).
    `,
    tags: ['cancer', 'carers', 'family', 'facilitated'],
    language: 'en',
    leadership: 'professional',
    visibility: 'public',
    owner: 'Counsellor Dev',
    moderators: ['KnitOne'],
    alsoMembers: ['TeaAndToast'],
    startedDaysAgo: 44,
    threads: [
      {
        title: 'Introduce yourself — who are you caring for?',
        author: 'Counsellor Dev',
        daysAgo: 43.8,
        reactions: ['support'],
        body: text`
          Hello, I'm Dev. I've worked with carers at the hospice for eleven years, and I'll be facilitating this group.

          If you'd like to, say hello below: who you're caring for, and one thing that's getting you through at the moment. Share only what feels comfortable.
        `,
        replies: [
          {
            author: 'KnitOne',
            body: 'Hello. Caring for my husband, who has bowel cancer and is in the middle of chemo. Getting me through: knitting badly and strong coffee.',
          },
          {
            author: 'Bramble',
            body: "Hi all. My sister has breast cancer, and I'm doing hospital runs around my job. What's getting me through: this group, I hope!",
          },
          {
            author: 'BeatGoesOn',
            body: "My wife has lymphoma. I'm usually the one being looked after after my heart surgery, so the roles have flipped. The dog walks are getting me through.",
            reactions: ['thinking_of_you'],
          },
          {
            author: 'Dandelion',
            body: "My dad's just been diagnosed. I've got a new baby too. Everything feels like a lot.",
            reactions: ['thinking_of_you', 'support'],
          },
          {
            author: 'Counsellor Dev',
            body: "Thank you all for sharing so openly. Dandelion, that's a great deal to hold at once; please be as gentle with yourself as you'd be with a friend in your shoes.",
          },
        ],
      },
      {
        title: 'Scan anxiety — the waiting is the worst part',
        author: 'Bramble',
        daysAgo: 2.2,
        reactions: ['me_too', 'thinking_of_you'],
        body: "Sister's scan results are due Friday. I can't concentrate at work, I'm snapping at my kids, and I'm not even the one who's ill. How do you get through the waiting?",
        replies: [
          {
            author: 'KnitOne',
            body: 'The waiting is its own special kind of awful. I plan something absorbing for the evening before results: a film, a jigsaw, anything that needs my whole brain.',
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Counsellor Dev',
            body: text`
              Many carers describe the waiting as harder than the news itself. A few things people have found useful:

              - naming it out loud ("I'm anxious because of Friday") to family, so the snapping makes sense to them
              - setting a short "worry time" each evening and gently postponing worries until then
              - deciding in advance how you'll hear the results and who you'll call afterwards

              You're carrying a lot. Being not-the-one-who's-ill doesn't make your fear less real.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'BeatGoesOn',
            body: "I'll be thinking of you both on Friday.",
          },
        ],
      },
      {
        title: 'How do you keep working while caring?',
        author: 'BeatGoesOn',
        daysAgo: 12.4,
        body: 'My boss has been decent but I can feel the patience wearing thin. Three hospital appointments a week. Does anyone have flexible working arrangements that actually work?',
        replies: [
          {
            author: 'Counsellor Dev',
            body: "It may help to know your rights: in the UK, carers can ask for flexible working and may be entitled to carer's leave. Carers UK explains it well: https://www.carersuk.org. Macmillan's support line also talks to carers about work.",
            reactions: ['helpful'],
          },
          {
            author: 'KnitOne',
            body: 'I moved to compressed hours (four longer days) and use the fifth for appointments. It took one honest conversation with HR.',
            reactions: ['helpful'],
          },
          {
            author: 'TeaAndToast',
            body: "I gave up work in the end to care for Mum, and I'd say: ask for everything before you make that decision. I wish I had.",
          },
        ],
      },
      {
        title: 'My husband finished chemo today',
        author: 'KnitOne',
        daysAgo: 0.6,
        reactions: ['support'],
        body: "He rang the bell. I cried, the nurses cried, he pretended he didn't. Long road still, but today was a good day and I wanted to share it with the people who've held me up these months.",
        replies: [
          {
            author: 'Bramble',
            body: 'Oh this is wonderful. Crying at my desk. Well done to him and well done to you.',
            reactions: ['support'],
          },
          {
            author: 'Counsellor Dev',
            body: "What a moment. It's common to feel all sorts once the structure of treatment ends, so do keep coming here in the weeks ahead. Enjoy today.",
            reactions: ['helpful'],
          },
          {
            author: 'Dandelion',
            body: 'So happy for you both 💛',
          },
        ],
      },
    ],
  },
  {
    name: 'Calm Harbour — Anxiety Support',
    summary:
      'Peer support for anxiety, panic and worry. Share what helps, ask for encouragement, and breathe out with people who understand.',
    description: text`
      Anxiety can make the smallest things feel enormous. In Calm Harbour, nobody will tell you to "just relax".

      We share techniques that help *us*, cheer each other's brave steps, and keep it gentle. This isn't a replacement for professional help; [Mind](https://www.mind.org.uk) and [Anxiety UK](https://www.anxietyuk.org.uk) can help you find it.

      ${crisisLine}
    `,
    tags: ['anxiety', 'panic', 'mental health', 'worry'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'QuietOwl',
    moderators: ['RainbowRiver'],
    alsoMembers: [
      'Maple',
      'Marigold',
      'NorthernLights',
      'LarkRising',
      'Willow',
      'HarbourLight',
      'Moonbeam',
      'Camille P.',
    ],
    startedDaysAgo: 68,
    threads: [
      {
        title: 'Grounding techniques that actually work for you',
        author: 'QuietOwl',
        daysAgo: 18.3,
        reactions: ['helpful'],
        body: text`
          When I feel panic rising, the one that helps me most is **5-4-3-2-1**:

          - 5 things I can see
          - 4 things I can touch
          - 3 things I can hear
          - 2 things I can smell
          - 1 thing I can taste

          What works for you? Let's build a list for newcomers.
        `,
        replies: [
          {
            author: 'SweetPea',
            body: 'Cold water on my wrists, and holding an ice cube if I\u2019m at home. The shock of cold pulls me back into my body.',
            reactions: ['helpful'],
          },
          {
            author: 'Pebble',
            body: 'Counting backwards from 100 in sevens. I\u2019m terrible at maths so it takes all my concentration!',
            reactions: ['me_too'],
          },
          {
            author: 'SlowAndSteady',
            body: 'Breathing out longer than I breathe in: in for four, out for six. A physio taught me this for long COVID and it turned out to help with panic too.',
            reactions: ['helpful'],
          },
          {
            author: 'Wren',
            body: 'Naming every blue thing in the room. Oddly specific, works every time.',
          },
          {
            author: 'RainbowRiver',
            body: "Great list. Remember, none of these is a test you can fail. Some days nothing works and that's OK too.",
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'Phone anxiety: booking a GP appointment',
        author: 'SweetPea',
        daysAgo: 1.3,
        reactions: ['me_too'],
        body: "I've needed to ring the surgery for two weeks. I've picked the phone up six times. Anyone else? How do you make yourself do it?",
        replies: [
          {
            author: 'QuietOwl',
            body: text`
              Every time. Things that help me:

              1. Write a **script** with the first sentence word for word ("Hi, I'd like to book an appointment with a GP please")
              2. Ring at a set time and tell someone I'm doing it
              3. Reward afterwards. Biscuit. Non-negotiable.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'Maple',
            body: 'Check if your surgery has online booking or an app. Mine does, and it has been a game changer.',
            reactions: ['helpful'],
          },
          {
            author: 'SweetPea',
            body: 'DONE. Script worked. The receptionist was lovely. Eating the biscuit now.',
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'Panic on the bus this morning',
        author: 'Wren',
        daysAgo: 0.15,
        reactions: ['support', 'thinking_of_you'],
        body: "Had my first panic attack in months on the bus. Had to get off two stops early. Feel shaky and stupid and like I've undone all my progress.",
        replies: [
          {
            author: 'RainbowRiver',
            body: "Not stupid, and not undone. You got yourself off the bus and somewhere safe: that's a skill you built. Be gentle with yourself today.",
            reactions: ['support'],
          },
          {
            author: 'Pebble',
            body: 'A setback in the middle of a good stretch still means a good stretch. Hope you can rest a bit tonight.',
          },
        ],
      },
      {
        title: 'Does anyone else rehearse conversations over and over?',
        author: 'Pebble',
        daysAgo: 7.2,
        reactions: ['me_too'],
        body: 'I spend hours rehearsing conversations that might happen and replaying ones that already did. Last night I replayed a "thanks, you too" to a waiter from 2019.',
        replies: [
          {
            author: 'QuietOwl',
            body: 'Saying "you too" when the waiter says "enjoy your meal" is a universal experience, I promise.',
            reactions: ['me_too'],
          },
          {
            author: 'LarkRising',
            body: "I've started noticing when I'm doing it and saying 'replay' to myself, a bit like a label. It doesn't stop it, but it loosens it.",
            reactions: ['helpful'],
          },
          {
            author: 'Marigold',
            body: 'The 2019 waiter made me laugh out loud. Thank you for this.',
          },
        ],
      },
    ],
  },
  {
    name: "St Mary's Hospital cardiac rehab circle",
    summary:
      "For patients and families in St Mary's cardiac rehabilitation programme. Facilitated by the cardiac rehab team's social worker.",
    description: text`
      A companion group to the cardiac rehabilitation programme at St Mary's Hospital, for people recovering from a heart attack, heart surgery or a new heart diagnosis, and for the people who love them.

      **Facilitated by Ruth (social worker) and Priya (cardiac rehab nurse).** We read posts on weekdays. We can't give individual medical advice here: for questions about your own treatment, please ring the cardiac rehab team on the number in your discharge pack.

      More information: [British Heart Foundation](https://www.bhf.org.uk).
    `,
    tags: ['heart', 'cardiac rehab', 'hospital', 'recovery', 'facilitated'],
    language: 'en',
    leadership: 'professional',
    visibility: 'public',
    owner: 'Ruth - Social Worker',
    facilitators: ['Nurse Priya'],
    moderators: [],
    alsoMembers: [],
    startedDaysAgo: 63,
    threads: [
      {
        title: 'Welcome — read this first',
        author: 'Ruth - Social Worker',
        daysAgo: 62.9,
        pinned: true,
        reactions: ['helpful'],
        body: text`
          Welcome to the circle. I'm Ruth, the social worker with the cardiac rehabilitation team, and Priya is one of our rehab nurses.

          **What this group is for**

          - sharing how recovery is going, the ups and the downs
          - practical things: driving, work, money, sleep, confidence
          - support for partners and families, who often worry in silence

          **What it isn't for**

          - medical advice about your own heart: please ring the team for that
          - emergencies: if you have chest pain or think something is wrong, **call 999**

          Posts here are read by the facilitators on weekdays. Be kind, share from your own experience, and you'll fit right in.
        `,
        replies: [
          {
            author: 'HeartwiseHarry',
            body: "Thanks Ruth. Glad this exists. The class is great but there isn't much time to talk about the feelings side.",
            reactions: ['me_too'],
          },
          {
            author: 'Nurse Priya',
            body: 'Hello everyone, looking forward to getting to know you here as well as at the Tuesday sessions.',
          },
        ],
      },
      {
        title: 'Scared to exercise after the heart attack',
        author: 'HeartwiseHarry',
        daysAgo: 6.1,
        reactions: ['me_too', 'support'],
        body: "Every time my heart rate goes up on the exercise bike I panic that it's happening again. Does that fear go away?",
        replies: [
          {
            author: 'BeatGoesOn',
            body: "It did for me, gradually. I was the same in week one. Being in the class with the nurses watching helped me learn what a normal, safe 'working hard' feels like in my own body.",
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'Nurse Priya',
            body: "This is one of the most common things people tell us, Harry, so you're far from alone. It's worth raising at your next session so we can go through it with you in person: that's exactly what the supervised classes are there for.",
            reactions: ['helpful'],
          },
          {
            author: 'SapperSteve',
            body: 'Same here after my stent. I started counting the fear as part of the workout. Weirdly it helped.',
          },
          {
            author: 'Ruth - Social Worker',
            body: 'We also run a short "confidence after a heart event" talk on the first Thursday of each month. Ask at reception if you\u2019d like a place, partners welcome.',
          },
        ],
      },
      {
        title: 'My partner is more anxious than I am',
        author: 'Sunflower72',
        daysAgo: 16.4,
        body: "Since my heart attack, my husband checks on me every hour, won't let me carry shopping and lies awake listening to me breathe. I love him but I'm suffocating a bit. How have other couples handled this?",
        replies: [
          {
            author: 'Ruth - Social Worker',
            body: "This is so common, and it usually comes from love and fright. Partners often went through the emergency too, and nobody checked on them. Would he come to the family session on the last Wednesday of the month? It's a space just for partners to talk.",
            reactions: ['helpful'],
          },
          {
            author: 'BeatGoesOn',
            body: 'My wife was the same. What helped was her coming to a class and seeing what I was capable of with her own eyes.',
            reactions: ['helpful'],
          },
          {
            author: 'Sunflower72',
            body: 'He said yes to the family session. Thank you, Ruth.',
          },
        ],
      },
      {
        title: 'Six months since my bypass — thank you all',
        author: 'BeatGoesOn',
        daysAgo: 1.2,
        reactions: ['support'],
        body: 'Six months today. Walked up the hill to the church this morning without stopping. Half a year ago I couldn\u2019t manage the stairs. Thank you to the team and to everyone here.',
        replies: [
          {
            author: 'HeartwiseHarry',
            body: 'This is the post I needed. Well done.',
            reactions: ['support'],
          },
          {
            author: 'Nurse Priya',
            body: 'We remember your first session! Wonderful to read this.',
          },
          {
            author: 'Sunflower72',
            body: 'The church hill is no joke. Brilliant.',
          },
        ],
      },
    ],
  },
  {
    name: "Bereaved by Suicide — Survivors' Circle",
    summary: 'A private peer group for people bereaved or affected by suicide. Only members can read the discussions.',
    description: text`
      Losing someone to suicide brings a grief like no other, with questions that may never be answered. This is a private, peer-led space; only members can read the discussions.

      Please avoid describing methods or details of a death. Share your feelings, your person, and how you're getting through.

      - [Support After Suicide Partnership](https://supportaftersuicide.org.uk) lists support services across the UK
      - Samaritans are there any time on **116 123**
    `,
    tags: ['suicide bereavement', 'grief', 'loss', 'survivors'],
    language: 'en',
    leadership: 'peer',
    visibility: 'members',
    owner: 'Pebble',
    moderators: ['Willow'],
    alsoMembers: ['Maple', 'QuietOwl'],
    startedDaysAgo: 57,
    threads: [
      {
        title: "The 'why' questions",
        author: 'Pebble',
        daysAgo: 10.1,
        reactions: ['me_too', 'thinking_of_you'],
        body: text`
          It's been nineteen months since my brother died. The questions come every night: why didn't I see it, why didn't I call that Sunday, why didn't he tell me.

          I've read that the why may never be answered. Has anyone found a way to live alongside the questions?
        `,
        replies: [
          {
            author: 'Willow',
            body: "For me they've softened rather than gone. A counsellor helped me see that every 'why didn't I' assumes I knew then what I know now. I didn't. Neither did you.",
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'LarkRising',
            body: "I write the questions in a notebook instead of letting them loop. Then I close it. It sounds small, but the notebook holds them so I don't have to all night.",
            reactions: ['helpful'],
          },
          {
            author: 'OneDayAtATime',
            body: 'Nineteen months for me too, as it happens. You\u2019re not on your own with this.',
            reactions: ['thinking_of_you'],
          },
        ],
      },
      {
        title: 'What do you say when someone asks how he died?',
        author: 'OneDayAtATime',
        daysAgo: 4.3,
        body: "New job, and someone asked about the photo on my desk. When I said my son had died, they asked how. I froze. I don't want to hide it, but I don't want to explain to everyone either.",
        replies: [
          {
            author: 'Pebble',
            body: text`
              I've got a few sentences ready now, depending on the person:

              - "He died by suicide. I don't really talk about the details, but I love talking about *him*."
              - "It was very sudden. I'd rather not go into it today."
              - And sometimes just: "Thank you for asking about him."

              Having them ready means I don't freeze as often.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'Willow',
            body: "You get to decide who knows what. 'I'd rather not go into it' is a full sentence. Keep his photo on your desk.",
            reactions: ['support'],
          },
          {
            author: 'Maple',
            body: "I'm so sorry about your son. Your colleague was probably just clumsy. You did nothing wrong by freezing.",
            reactions: ['thinking_of_you'],
          },
        ],
      },
      {
        title: 'First anniversary coming up',
        author: 'Willow',
        daysAgo: 0.8,
        reactions: ['thinking_of_you', 'support'],
        body: "Mum's first anniversary is next Tuesday. My family want to do a gathering and I'm dreading it. Part of me wants to be there and part of me wants to be on a beach on my own.",
        replies: [
          {
            author: 'Pebble',
            body: 'The build-up was worse than the day for me. We did a short gathering and I gave myself permission to leave after an hour, then walked by the sea. Both things felt right.',
            reactions: ['helpful'],
          },
          {
            author: 'QuietOwl',
            body: "Thinking of you next Tuesday, Willow. You've held so many of us here; we're holding you this week.",
            reactions: ['support'],
          },
          {
            author: 'LarkRising',
            body: 'Could you do both? Gathering in the morning, beach in the afternoon. Whatever you choose will be right.',
          },
        ],
      },
    ],
  },
  {
    name: 'Rainbow Peer Support',
    summary:
      'LGBTQ+ peer support: coming out, family, identity, relationships and mental health. A warm, affirming space.',
    description: text`
      For lesbian, gay, bisexual, trans, non-binary, queer, questioning and intersex people, and anyone working out who they are.

      Respect everyone's names and pronouns. No debating anyone's identity. We're here to lift each other up.

      Support outside this group: [Switchboard LGBT+ helpline](https://switchboard.lgbt), [MindOut](https://mindout.org.uk) (mental health service run by and for LGBTQ+ people).
    `,
    tags: ['lgbtq+', 'identity', 'coming out', 'mental health', 'community'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'Wren',
    moderators: ['RainbowRiver'],
    alsoMembers: ['QuietOwl'],
    startedDaysAgo: 47,
    threads: [
      {
        title: 'Coming out at work — did it go how you expected?',
        author: 'Sasha T',
        daysAgo: 9.1,
        body: "I'm thinking of telling my team I'm non-binary and asking them to use they/them. I've rehearsed it a hundred times. Would love to hear how it went for others, good or bad.",
        replies: [
          {
            author: 'Wren',
            body: 'I sent a short email to my manager first and asked her to back me up in the team meeting. Most people were great, one person took a few months to get it right, and I had an ally to lean on.',
            reactions: ['helpful'],
          },
          {
            author: 'Phoenix',
            body: 'Came out as bi at work last year. Honestly the anticipation was ten times worse than the reality. Hope yours goes the same way.',
            reactions: ['me_too'],
          },
          {
            author: 'RainbowRiver',
            body: "Whatever you decide, and whenever, it's your timeline. We're here either way, Sasha.",
            reactions: ['support'],
          },
          {
            author: 'Sasha T',
            body: 'Did it! Mostly lovely. One colleague made me a badge with my pronouns on it. Feeling very light today.',
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'Finding a queer-friendly therapist',
        author: 'Phoenix',
        daysAgo: 3.3,
        body: 'My last therapist spent half of every session asking me to explain what bisexual meant. Where did you find someone who gets it?',
        replies: [
          {
            author: 'RainbowRiver',
            body: text`
              Some places to start:

              - [MindOut](https://mindout.org.uk): run by and for LGBTQ+ people
              - The Switchboard helpline can point you to local services: https://switchboard.lgbt
              - Asking directly in a first call: "What's your experience of working with LGBTQ+ clients?" A good therapist won't mind.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'SweetPea',
            body: 'Asking that question in the first call was a game changer for me. The right one answered easily.',
          },
        ],
      },
      {
        title: "Family gatherings with relatives who don't get it",
        author: 'RainbowRiver',
        daysAgo: 0.7,
        reactions: ['me_too', 'thinking_of_you'],
        body: "Big family birthday this weekend. My uncle 'jokes'. My partner's coming for the first time. How do you look after yourselves at these things?",
        replies: [
          {
            author: 'Wren',
            body: 'Code word with my partner that means "meet me in the garden in two minutes". And a time we are leaving, agreed in advance.',
            reactions: ['helpful'],
          },
          {
            author: 'Sasha T',
            body: "I pick one relative who's safe and stick near them. And I remind myself I don't owe anyone a debate over dessert.",
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'QuietOwl',
            body: 'Hope your partner feels welcomed by the people who matter. Report back if you want!',
          },
        ],
      },
      {
        title: 'Share something good from this week 🌈',
        author: 'Wren',
        daysAgo: 2.5,
        reactions: ['support'],
        body: "Let's have a happy thread. Mine: my nan called me by my name for the first time without being reminded.",
        replies: [
          {
            author: 'Phoenix',
            body: 'Went to my first queer book club. Nobody bit.',
          },
          {
            author: 'SweetPea',
            body: "Wren that's beautiful. Mine: my girlfriend and I adopted a very round cat.",
            reactions: ['support'],
          },
          {
            author: 'RainbowRiver',
            body: 'Ran my first 5k with the local LGBTQ+ running club. Came second to last and cheered like I\u2019d won.',
            reactions: ['support', 'me_too'],
          },
        ],
      },
    ],
  },
  {
    name: "Veterans' Brew & Talk",
    summary:
      'Peer support for ex-forces men and women: civvy street, sleep, stress and staying connected. Kettle is always on.',
    description: text`
      Served in the Army, Navy, RAF or Reserves? Pull up a chair. This is a peer-led group run by veterans for veterans (and their families).

      No rank here, no judgement, no war stories that could upset others without a heads-up.

      More help: [Combat Stress](https://combatstress.org.uk) (24-hour helpline), [Op COURAGE](https://www.nhs.uk/nhs-services/armed-forces-community/mental-health/veterans-reservists/) (the NHS mental health service for veterans), [SSAFA](https://www.ssafa.org.uk).
    `,
    tags: ['veterans', 'armed forces', 'ptsd', 'transition', 'mental health'],
    language: 'en',
    leadership: 'peer',
    visibility: 'public',
    owner: 'SapperSteve',
    moderators: ['KettleOn'],
    alsoMembers: ['HarbourLight'],
    startedDaysAgo: 71,
    threads: [
      {
        title: 'Civvy street — what was hardest for you?',
        author: 'SapperSteve',
        daysAgo: 24.4,
        body: "Twelve years out now. For me the hardest thing wasn't finding work, it was losing the lads. No one had my back in the same way. What was it for you?",
        replies: [
          {
            author: 'KettleOn',
            body: "Structure. In the Navy every hour had a purpose. Out here I'd wake up and the day just... sat there. Took me years to build my own routine.",
            reactions: ['me_too'],
          },
          {
            author: 'OneDayAtATime',
            body: "Explaining myself. Civvies don't get the humour, the directness. I felt like a foreigner in my own town for a long time.",
            reactions: ['me_too'],
          },
          {
            author: 'HeartwiseHarry',
            body: 'Asking for help. We were taught to crack on. Only went to the GP about my chest when my wife made the appointment for me.',
            reactions: ['me_too', 'helpful'],
          },
          {
            author: 'SapperSteve',
            body: 'Good to know I\u2019m in good company. This group is my attempt at getting the lads back, in a way.',
          },
        ],
      },
      {
        title: "Sleep — anyone else still on 'stag' at 3am?",
        author: 'KettleOn',
        daysAgo: 5.2,
        reactions: ['me_too'],
        body: "Thirty years out and I still wake at 3 and check the doors. My wife's used to it, but I'm knackered. What helps you?",
        replies: [
          {
            author: 'SapperSteve',
            body: text`
              Things that have helped me, a bit:

              - **checking the doors once, properly, before bed**, and telling myself it's done
              - no news or phone after 9
              - a radio on low with the shipping forecast (don't laugh)
            `,
            reactions: ['helpful'],
          },
          {
            author: 'OneDayAtATime',
            body: "I spoke to Op COURAGE about the sleep and the hypervigilance. It was the first time someone didn't look at me like I was mad.",
            reactions: ['helpful'],
          },
          {
            author: 'HarbourLight',
            body: 'Not ex-forces (I\u2019m here for my dad) but he says the shipping forecast thing is real.',
          },
        ],
      },
      {
        title: 'Op COURAGE — anyone been through it?',
        author: 'OneDayAtATime',
        daysAgo: 1.25,
        body: "My GP has suggested referring me to Op COURAGE. I'm nervous they'll think I'm wasting their time because I'm 'not that bad'. What was it like?",
        replies: [
          {
            author: 'SapperSteve',
            body: "Went in thinking the same. The first chat was with a fellow veteran, which put me at ease. Nobody asked me to prove I was 'bad enough'.",
            reactions: ['helpful'],
          },
          {
            author: 'KettleOn',
            body: text`
              You can also self-refer. The NHS page explains how: https://www.nhs.uk/nhs-services/armed-forces-community/mental-health/veterans-reservists/

              If you want someone to talk it through with before, Combat Stress has a helpline too.
            `,
            reactions: ['helpful'],
          },
          {
            author: 'OneDayAtATime',
            body: 'Right. Told the GP yes. Cheers lads.',
            reactions: ['support'],
          },
        ],
      },
    ],
  },
  {
    name: 'Cuidadores de personas con demencia',
    summary: 'Grupo de apoyo entre iguales para familiares que cuidan de una persona con alzhéimer u otra demencia.',
    description: text`
      Cuidar de un padre, una madre o una pareja con demencia puede ser agotador y muy solitario. Aquí compartimos experiencias, trucos del día a día y también los momentos bonitos.

      No somos profesionales: para dudas médicas, consulta con el equipo que atiende a tu familiar.

      Más información y asociaciones locales: [CEAFA, Confederación Española de Alzheimer](https://www.ceafa.es).
    `,
    tags: ['demencia', 'alzheimer', 'cuidadores', 'familia'],
    language: 'es',
    leadership: 'peer',
    visibility: 'public',
    owner: 'Paloma',
    moderators: ['Javi_cuidador'],
    alsoMembers: [],
    startedDaysAgo: 46,
    threads: [
      {
        title: 'Preséntate: ¿a quién cuidas?',
        author: 'Paloma',
        daysAgo: 45.8,
        reactions: ['support'],
        body: text`
          ¡Hola a todos! Soy Paloma y cuido de mi padre, que tiene alzhéimer desde hace cuatro años. Abrí este grupo porque echaba de menos hablar con gente que entiende lo que es.

          Si te apetece, cuéntanos a quién cuidas y qué te está ayudando estos días.
        `,
        replies: [
          {
            author: 'Javi_cuidador',
            body: 'Hola, soy Javi. Cuido de mi madre con mi hermana; ella vive con nosotros desde el año pasado. Lo que me ayuda: salir a correr los sábados por la mañana mientras mi hermana se queda con ella.',
          },
          {
            author: 'Rosa del Sur',
            body: 'Hola, soy Rosa. Mi padre tiene demencia vascular y vive en una residencia cerca de casa. Voy a verle cada tarde. Me alegra haber encontrado este grupo.',
            reactions: ['support'],
          },
        ],
      },
      {
        title: 'Cuando mi padre no me reconoce',
        author: 'Rosa del Sur',
        daysAgo: 2.15,
        reactions: ['thinking_of_you', 'me_too'],
        body: text`
          Ayer, cuando llegué a la residencia, mi padre me preguntó muy educado quién era yo. Sonreí y le dije que una amiga. Luego lloré todo el camino a casa.

          ¿Cómo lo lleváis vosotros?
        `,
        replies: [
          {
            author: 'Paloma',
            body: 'Te mando un abrazo enorme, Rosa. A mí me ayudó pensar que, aunque no sepa mi nombre, sí nota el cariño. Mi padre se tranquiliza cuando le cojo la mano, aunque no sepa quién soy.',
            reactions: ['helpful', 'support'],
          },
          {
            author: 'Javi_cuidador',
            body: 'Lo que hiciste fue precioso. Presentarte como una amiga le dio una tarde tranquila. Y llorar después también es normal.',
            reactions: ['support'],
          },
          {
            author: 'Rosa del Sur',
            body: 'Gracias de corazón. Hoy volveré con las fotos de cuando era joven; le gusta mucho verlas.',
          },
        ],
      },
      {
        title: 'Trucos para la hora del baño',
        author: 'Javi_cuidador',
        daysAgo: 8.2,
        body: 'Con mi madre, la ducha se ha convertido en una batalla diaria. ¿Qué os funciona a vosotros?',
        replies: [
          {
            author: 'Paloma',
            body: text`
              Lo que nos funciona a nosotros (no siempre):

              - **el baño a la misma hora** cada día, cuando está más tranquilo
              - el cuarto de baño bien calentito antes de empezar
              - una toalla sobre los hombros para que no se sienta desnudo
              - su música de siempre puesta de fondo
            `,
            reactions: ['helpful'],
          },
          {
            author: 'Rosa del Sur',
            body: 'En la residencia me dijeron que a veces ayuda llamarlo de otra forma, por ejemplo "vamos a arreglarnos para salir". A mi padre le funciona.',
            reactions: ['helpful'],
          },
          {
            author: 'Javi_cuidador',
            body: 'Probamos ayer con la música y la toalla y fue mucho mejor. ¡Gracias!',
          },
        ],
      },
    ],
  },
  {
    name: 'Après bébé — entraide post-partum',
    summary:
      'Groupe de soutien entre parents pour la dépression post-partum, l’anxiété et les difficultés après la naissance.',
    description: text`
      Devenir parent ne se passe pas toujours comme on l'imaginait. Ici, on peut dire que c'est dur, sans jugement.

      Mamans, papas, co-parents : tout le monde est bienvenu. Nous partageons nos expériences, pas des avis médicaux : parlez-en aussi à votre médecin, sage-femme ou PMI.

      Ressources : [Maman Blues](https://www.maman-blues.fr), association de soutien à la difficulté maternelle.
    `,
    tags: ['post-partum', 'parentalité', 'dépression', 'anxiété'],
    language: 'fr',
    leadership: 'peer',
    visibility: 'public',
    owner: 'PetiteLune',
    moderators: ['Camille P.'],
    alsoMembers: [],
    startedDaysAgo: 38,
    threads: [
      {
        title: "Je n'ose pas en parler à ma sage-femme",
        author: 'Camille P.',
        daysAgo: 3.1,
        reactions: ['thinking_of_you', 'me_too'],
        body: text`
          Ma fille a deux mois. Je pleure presque tous les jours, je me sens vide et j'ai l'impression d'être une mauvaise mère. J'ai rendez-vous avec la sage-femme jeudi mais j'ai peur qu'elle me juge.

          Vous en avez parlé comment, vous ?
        `,
        replies: [
          {
            author: 'PetiteLune',
            body: "Je suis passée par là. J'avais écrit ce que je ressentais sur un papier et je le lui ai tendu, parce que je n'arrivais pas à le dire. Elle ne m'a pas jugée du tout, elle m'a orientée vers une psychologue. Ça a été le début du mieux.",
            reactions: ['helpful', 'me_too'],
          },
          {
            author: 'PapaOurs',
            body: "Tu n'es pas une mauvaise mère. Le fait que tu t'inquiètes autant montre combien tu l'aimes. Courage pour jeudi.",
            reactions: ['support'],
          },
          {
            author: 'Camille P.',
            body: "L'idée du papier est parfaite pour moi. Merci, ça me rassure.",
          },
        ],
      },
      {
        title: 'Les pères aussi',
        author: 'PapaOurs',
        daysAgo: 12.1,
        body: "Je voulais ouvrir un fil pour les papas. Depuis la naissance de notre fils, je suis irritable, je dors mal et je n'ai plus goût à rien. On parle peu de la dépression post-partum chez les pères. Vous avez vécu ça ?",
        replies: [
          {
            author: 'PetiteLune',
            body: "Mon conjoint l'a vécu après notre deuxième. Il en a parlé à notre médecin traitant, et ça l'a beaucoup aidé de mettre des mots dessus. Merci d'en parler ici.",
            reactions: ['helpful'],
          },
          {
            author: 'Camille P.',
            body: "Le site des 1000 premiers jours a une page pour les pères aussi : https://www.1000-premiers-jours.fr. Ça m'a aidée à comprendre ce que vivait mon compagnon.",
            reactions: ['helpful'],
          },
        ],
      },
      {
        title: 'Petites victoires de la semaine',
        author: 'PetiteLune',
        daysAgo: 0.55,
        reactions: ['support'],
        body: 'On partage nos petites victoires, même minuscules ! Moi : je suis sortie prendre un café avec une amie, sans le bébé, pendant une heure.',
        replies: [
          {
            author: 'Camille P.',
            body: "J'ai parlé à la sage-femme ! Et j'ai un rendez-vous avec une psychologue la semaine prochaine.",
            reactions: ['support'],
          },
          {
            author: 'PapaOurs',
            body: "Notre fils a dormi cinq heures d'affilée. Nous aussi.",
            reactions: ['me_too'],
          },
        ],
      },
    ],
  },
];
