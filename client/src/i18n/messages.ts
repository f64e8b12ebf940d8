/** Every UI string of the console, in both languages. Layer, field and value titles come from the registry. */
export const languages = ['zh-CN', 'en'] as const;
export type Language = (typeof languages)[number];

const zhCN = {
  productTitle: '城市管理一张图',
  layersHeading: '图层',
  languageSwitchLabel: '界面语言',
  languageName: '中文',
  showLayer: '显示图层',
  legendFor: '图例',
  visibleFromZoom: (zoom: number) => `${zoom} 级起显示`,
  loading: '正在加载图块…',
  loaded: '图块已加载',
  engine: (engine: string, postgis: string) => `数据库：${engineNames.zh[engine] ?? engine} · PostGIS ${postgis}`,
  engineUnknown: '数据库：连接中…',
  apiUnreachable: '无法连接服务器',
  apiUnreachableDetail: '地图数据暂不可用，请检查服务是否已启动。',
  retry: '重试',
  close: '关闭',
  popupEmpty: '无属性',
  clusterCount: '此处数量',
  yes: '是',
  no: '否',
  zoomLevel: (zoom: string) => `缩放 ${zoom}`,
};

export type Messages = typeof zhCN;

const en: Messages = {
  productTitle: 'City Operations Map',
  layersHeading: 'Layers',
  languageSwitchLabel: 'Interface language',
  languageName: 'English',
  showLayer: 'Show layer',
  legendFor: 'Legend',
  visibleFromZoom: (zoom: number) => `from zoom ${zoom}`,
  loading: 'Loading tiles…',
  loaded: 'Tiles loaded',
  engine: (engine: string, postgis: string) => `Database: ${engineNames.en[engine] ?? engine} · PostGIS ${postgis}`,
  engineUnknown: 'Database: connecting…',
  apiUnreachable: 'Cannot reach the server',
  apiUnreachableDetail: 'Map data is unavailable; check that the service is running.',
  retry: 'Retry',
  close: 'Close',
  popupEmpty: 'No properties',
  clusterCount: 'Features here',
  yes: 'Yes',
  no: 'No',
  zoomLevel: (zoom: string) => `Zoom ${zoom}`,
};

const engineNames: Record<'zh' | 'en', Record<string, string>> = {
  zh: { pglite: '内嵌 PGlite', postgres: 'PostgreSQL' },
  en: { pglite: 'embedded PGlite', postgres: 'PostgreSQL' },
};

export const messages: Record<Language, Messages> = { 'zh-CN': zhCN, en };
