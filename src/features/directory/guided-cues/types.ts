/**
 * Words that tell the guided flow whom a person is looking for help for. Phrases are written as
 * people write them; case, accents and apostrophes do not matter ("I'm" is read as "i m"), and a
 * phrase matches whole words in order. Every language's lists are read for every text, as people
 * mix languages and the flow does not ask which one they wrote in.
 */
export interface GuidedCues {
  language: string;
  /** Looking after someone, said outright ("I look after my dad", "I'm a carer"). */
  caring: string[];
  /** Naming someone close ("my mum", "my husband"): with a condition, usually someone they care for. */
  someoneClose: string[];
  /** The person has it themselves ("I was diagnosed", "I'm living with"). */
  self: string[];
  /**
   * Someone has died: naming them is grief, not caring ("I lost my husband"). The flow then looks
   * for the topic with this slug too.
   */
  loss: string[];
  lossTopic: string;
}
