/**
 * Chinese names for the demo city: well-known Jinan street and alley names first, then
 * generated ones in the city's own pattern (经X路 run east-west, 纬X路 north-south, as in the
 * old commercial port district).
 */

const digits = ['零', '一', '二', '三', '四', '五', '六', '七', '八', '九'];

/** 1 -> 一, 12 -> 十二, 105 -> 一百零五; enough for street numbers (below 10,000). */
export function chineseNumeral(value: number): string {
  if (value < 10) return digits[value] ?? String(value);
  if (value < 20) return `十${value % 10 ? digits[value % 10] : ''}`;
  const units = ['', '十', '百', '千'];
  const parts = String(value).split('').map(Number);
  let text = '';
  let pendingZero = false;
  parts.forEach((digit, position) => {
    const unit = units[parts.length - 1 - position] ?? '';
    if (digit === 0) {
      pendingZero = text !== '';
      return;
    }
    if (pendingZero) text += '零';
    pendingZero = false;
    text += (digits[digit] ?? '') + unit;
  });
  return text;
}

export const eastWestArterialNames = [
  '北园大街', '工业北路', '明湖路', '泉城路', '解放路', '经十路', '二环南路', '旅游路',
  '文化东路', '和平路', '工业南路', '二环北路', '泺源大街', '历山东路',
];
export const northSouthArterialNames = [
  '二环西路', '济泺路', '顺河街', '历山路', '山大路', '千佛山路', '舜耕路', '英雄山路',
  '二环东路', '奥体中路', '华山路', '无影山路', '历黄路', '燕山路',
];
export const eastWestSecondaryNames = [
  '大明湖北路', '趵突泉北路', '共青团路', '青年东路', '文化西路', '朝山街', '花园路',
  '铜元局前街', '玉函路', '建设路', '黑虎泉北路', '东关大街', '明湖东路', '七里河路',
];
export const northSouthSecondaryNames = [
  '五龙潭路', '趵突泉南路', '舜井街', '县西巷北路', '历山北路', '山师东路', '甸柳庄路',
  '燕子山路', '闵子骞路', '马鞍山路', '八里洼路', '六里山路', '王官庄路', '堤口路',
];

/** Real old-town alley names, given to the most central alleys. */
export const historicAlleyNames = [
  '芙蓉街', '曲水亭街', '西更道', '王府池子街', '起凤桥街', '县西巷', '后宰门街', '鞭指巷',
  '双忠祠街', '岱宗街', '金菊巷', '泮壁街', '玉环泉街', '马市街', '刷律巷', '东花墙子街',
  '榜棚街', '卫巷', '小王府街', '平泉胡同', '辘轳把子街', '寿康楼街', '东更道', '钟楼寺街',
];

export const alleyProblems = [
  '路面破损', '坑洼积水', '架空线缆杂乱', '私搭乱建', '照明不足', '排水不畅', '墙面污损',
  '乱堆乱放', '停车无序', '绿化缺失', '化粪池外溢', '无障碍设施缺失',
];

/** Drops the trailing 路/街/大街 so that generated names read naturally ("经七" + "一巷"). */
export function streetStem(name: string): string {
  return name.replace(/(大街|路|街|巷)$/u, '');
}

/**
 * Names for a run of street lines: the listed names first, then 经X路 / 纬X路 numbers that no
 * other line already uses.
 */
export class StreetNamer {
  private readonly used = new Set<string>();
  /** Listed names are kept from the generated series even before they are handed out. */
  private readonly reserved: Set<string>;
  private readonly nextNumber = { ew: 1, ns: 1 };

  constructor(private readonly seedNames: Record<string, string[]>) {
    this.reserved = new Set(Object.values(seedNames).flat());
  }

  name(axis: 'ew' | 'ns', listKey: string): string {
    const listed = this.seedNames[listKey]?.find((candidate) => !this.used.has(candidate));
    if (listed) {
      this.used.add(listed);
      return listed;
    }
    const prefix = axis === 'ew' ? '经' : '纬';
    for (;;) {
      const candidate = `${prefix}${chineseNumeral(this.nextNumber[axis]++)}路`;
      if (!this.used.has(candidate) && !this.reserved.has(candidate)) {
        this.used.add(candidate);
        return candidate;
      }
    }
  }
}
